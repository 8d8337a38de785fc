import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './app.js';
import { keyToAction } from './keymap.js';
import { FixtureSource } from '../../test/tui/fixtures.js';
import { KEY, during, flush, mount, press } from '../../test/tui/ink-helpers.js';

afterEach(async () => {
  await during(cleanup);
});

describe('s: serve the cluster to kubectl', () => {
  it('asks the player to serve once per press and shows where to connect', async () => {
    const onServe = vi.fn(async () => 'serving https://127.0.0.1:6443: KUBECONFIG=./kube-learn.kubeconfig kubectl get nodes');
    const { stdin, lastFrame } = await mount(() => render(<App session={new FixtureSource()} size={{ columns: 120, rows: 30 }} prefetch={false} onServe={onServe} />));
    await press(stdin, 's');
    expect(onServe).not.toHaveBeenCalled(); // the intro screen has no `s`
    await press(stdin, KEY.ENTER, 's');
    await flush();
    expect(onServe).toHaveBeenCalledTimes(1);
    expect(lastFrame()).toContain('serving https://127.0.0.1:6443: KUBECONFIG=./kube-learn.kubeconfig kubectl get nodes');
  });

  it('says why when serving fails, and the player goes on', async () => {
    const onServe = vi.fn(async () => {
      throw new Error('port 6443 is already in use');
    });
    const { stdin, lastFrame } = await mount(() => render(<App session={new FixtureSource()} size={{ columns: 120, rows: 30 }} prefetch={false} onServe={onServe} />));
    await press(stdin, KEY.ENTER, 's');
    await flush();
    expect(lastFrame()).toContain('cannot serve: port 6443 is already in use');
  });

  it('is a main-screen key only', () => {
    expect(keyToAction('s', {}, 'main')).toEqual({ type: 'serve' });
    expect(keyToAction('s', {}, 'inspector')).toBeUndefined();
    expect(keyToAction('s', {}, 'checkpoint')).toBeUndefined();
  });
});
