import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './app.js';
import { KEY_HELP } from './keymap.js';
import { FixtureSource } from '../../test/tui/fixtures.js';
import { KEY, during, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

async function started(size = { columns: 100, rows: 30 }) {
  const app = await mount(() => render(<App session={new FixtureSource(undefined, undefined, true)} size={size} prefetch={false} />));
  await press(app.stdin, KEY.ENTER);
  return app;
}

afterEach(() => during(cleanup));

describe('inspector', () => {
  it('Enter opens the selected step: identity, store key and revision, and the object diff; Esc closes', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, 'g', ...Array(5).fill(KEY.RIGHT), KEY.ENTER);
    const frame = lastFrame()!;
    expect(frame).toContain('Inspector · step 6');
    expect(frame).toContain('PATCH /api/v1/nodes/worker-1/status  →  200');
    expect(frame).toContain('user    system:node:worker-1');
    expect(frame).toContain('groups  system:nodes, system:authenticated');
    expect(frame).toContain('key       /registry/minions/worker-1');
    expect(frame).toContain('revision  43');
    expect(frame).toContain('Stored object (updated: - before, + after)');
    expect(frame).toContain('+   podCIDR: 10.244.0.0/24');
    await press(stdin, 'G');
    expect(lastFrame()).toContain('-       status: "False"');
    expect(lastFrame()).toContain('+       status: "True"');
    await press(stdin, KEY.ESC);
    expect(lastFrame()).not.toContain('Inspector');
    expect(lastFrame()).toContain('─ Messages');
    expect(stepOnScreen(lastFrame())).toBe(6);
  });

  it('shows request and response bodies as YAML, and scrolls with ↓, PgDn, G and g', async () => {
    const { stdin, lastFrame } = await started({ columns: 80, rows: 24 });
    await press(stdin, KEY.RIGHT, KEY.ENTER);
    expect(lastFrame()).toContain('Request body');
    expect(lastFrame()).toContain('  kind: CertificateSigningRequest');
    expect(lastFrame()).toContain('lines 1–');
    await press(stdin, KEY.DOWN);
    expect(lastFrame()).toContain('lines 2–');
    await press(stdin, 'G');
    expect(lastFrame()).toContain('(exactly the response body above');
    await press(stdin, 'g');
    expect(lastFrame()).toContain('lines 1–');
    await press(stdin, KEY.PAGE_DOWN);
    expect(lastFrame()).not.toContain('lines 1–');
  });

  it('opens the step the selection is on, not the current one', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, '2', KEY.UP, KEY.UP, KEY.ENTER);
    expect(lastFrame()).toContain('Inspector · step 2');
  });

  it('keeps arrow keys for scrolling while open: ← does not move the step', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, KEY.RIGHT, KEY.RIGHT, KEY.ENTER, KEY.LEFT, KEY.RIGHT);
    expect(stepOnScreen(lastFrame())).toBe(3);
    expect(lastFrame()).toContain('Inspector · step 3');
  });
});

describe('help', () => {
  it('? lists every key; Esc or ? closes it', async () => {
    const { stdin, lastFrame } = await started({ columns: 120, rows: 40 });
    await press(stdin, '?');
    for (const { keys, does } of KEY_HELP) {
      expect(lastFrame()).toContain(keys);
      expect(lastFrame()).toContain(does.split(' ').slice(0, 4).join(' '));
    }
    await press(stdin, KEY.ESC);
    expect(lastFrame()).toContain('─ Messages');
    await press(stdin, '?', '?');
    expect(lastFrame()).toContain('─ Messages');
  });

  it('explains every mark and the LEASE column, and scrolls to a glossary with links to the Kubernetes docs', async () => {
    const { stdin, lastFrame } = await started({ columns: 80, rows: 24 });
    await press(stdin, '?');
    expect(lastFrame()).toMatch(/─ Help lines 1–18 of \d+/);
    const seen: string[] = [lastFrame()!];
    for (let i = 0; i < 6; i++) {
      await press(stdin, KEY.PAGE_DOWN);
      seen.push(lastFrame()!);
    }
    const all = seen.join('\n');
    for (const mark of ['▶', '›', '♥', '✓ ● ○', '● ◐ ○']) expect(all).toMatch(new RegExp(`^  ${mark} +\\S`, 'm'));
    expect(all).toMatch(/LEASE +time since the node's Lease in kube-node-lease was last renewed/);
    expect(all).toContain('Failures are never folded');
    expect(all).toMatch(/Taint +marks a node so pods without a matching toleration/);
    expect(all).toContain('https://kubernetes.io/docs/concepts/architecture/leases/');
    expect(all).toContain('https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/');
    // Too long for 80 columns with its scheme: shown whole without it, never cut.
    expect(all).toContain('  kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/');
    expect(all).not.toMatch(/kubernetes\.io\S*…/);
    for (const frame of seen) for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    await press(stdin, 'g');
    expect(lastFrame()).toMatch(/─ Help lines 1–18 of/);
  });

  it('is reachable from the intro screen too, and leads back to it', async () => {
    const { stdin, lastFrame } = await mount(() => render(<App session={new FixtureSource()} size={{ columns: 80, rows: 24 }} prefetch={false} />));
    await press(stdin, '?');
    expect(lastFrame()).toContain('previous step (the cluster exactly as it was then)');
    await press(stdin, KEY.ESC);
    expect(lastFrame()).toContain('Enter start');
  });
});

describe('filter', () => {
  it('f lists the components; Enter keeps only that component’s steps, and arrows visit only them', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, 'f');
    expect(lastFrame()).toContain('Filter by component');
    expect(lastFrame()).toContain('all components');
    expect(lastFrame()).toContain('kube-scheduler');
    await press(stdin, 'j', 'j', 'j', KEY.ENTER); // all, csrapproving, kube-apiserver, kube-scheduler
    expect(lastFrame()).toContain('filter: kube-scheduler');
    expect(stepOnScreen(lastFrame())).toBe(12);
    expect(lastFrame()).not.toContain('control plane up');
    await press(stdin, KEY.RIGHT);
    expect(stepOnScreen(lastFrame())).toBe(13);
    await press(stdin, KEY.RIGHT);
    expect(lastFrame()).toContain('this is the last step');
    await press(stdin, 'f', 'g', KEY.ENTER);
    expect(lastFrame()).not.toContain('filter:');
    await press(stdin, 'g');
    expect(lastFrame()).toContain('control plane up');
  });

  it('Esc leaves the filter as it was', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, 'f', 'j', KEY.ESC);
    expect(lastFrame()).not.toContain('filter:');
    expect(stepOnScreen(lastFrame())).toBe(1);
  });
});
