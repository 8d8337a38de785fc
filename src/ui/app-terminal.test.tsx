import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { render as inkRender } from 'ink';
import { App } from './app.js';
import { colorDisabled, playInteractive } from './play.js';
import { FixtureSource, fixtureScenario, fixtureSteps } from '../../test/tui/fixtures.js';
import { KEY, during, fakeTerminal, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

afterEach(() => during(cleanup));

function inkApp(columns: number, rows: number, source = new FixtureSource(undefined, undefined, true)) {
  const terminal = fakeTerminal(columns, rows);
  const instance = inkRender(<App session={source} prefetch={false} />, {
    stdout: terminal.stdout as unknown as NodeJS.WriteStream,
    stderr: terminal.stderr as unknown as NodeJS.WriteStream,
    stdin: terminal.stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { ...terminal, instance };
}

describe('a terminal smaller than 80×24', () => {
  it('gets a clear message, and the player comes back where it was when the window grows', async () => {
    const source = new FixtureSource(undefined, undefined, true);
    const app = await mount(() => render(<App session={source} size={{ columns: 80, rows: 24 }} prefetch={false} />));
    await press(app.stdin, KEY.ENTER, KEY.RIGHT, KEY.RIGHT);
    await during(() => app.rerender(<App session={source} size={{ columns: 70, rows: 20 }} prefetch={false} />));
    expect(app.lastFrame()).toContain('kube-learn needs a terminal of at least 80×24.');
    expect(app.lastFrame()).toContain('This one is 70×20.');
    await press(app.stdin, KEY.RIGHT); // ignored while too small
    await during(() => app.rerender(<App session={source} size={{ columns: 80, rows: 24 }} prefetch={false} />));
    expect(stepOnScreen(app.lastFrame())).toBe(3);
  });

  it('follows the terminal’s resize events', async () => {
    const app = await mount(() => inkApp(100, 30));
    await press(app.stdin, KEY.ENTER);
    expect(stepOnScreen(app.stdout.lastFrame())).toBe(1);
    await during(() => {
      app.stdout.columns = 60;
      app.stdout.emit('resize');
    });
    expect(app.stdout.lastFrame()).toContain('This one is 60×30.');
    await during(() => {
      app.stdout.columns = 120;
      app.stdout.rows = 40;
      app.stdout.emit('resize');
    });
    expect(stepOnScreen(app.stdout.lastFrame())).toBe(1);
    await during(() => app.instance.unmount());
  });
});

describe('leaving', () => {
  it('q ends with exit code 0, from any screen', async () => {
    const app = await mount(() => inkApp(80, 24));
    const exited = app.instance.waitUntilExit();
    await press(app.stdin, KEY.ENTER, '?', 'q');
    await expect(exited).resolves.toBe(0);
    expect(app.stdin.isRaw).toBe(false);
  });

  it('Ctrl-C ends with exit code 130', async () => {
    const app = await mount(() => inkApp(80, 24));
    const exited = app.instance.waitUntilExit();
    await press(app.stdin, KEY.CTRL_C);
    await expect(exited).resolves.toBe(130);
    expect(app.stdin.isRaw).toBe(false);
  });

  it('an unexpected error ends the app with that error, raw mode off', async () => {
    const source = new FixtureSource(fixtureSteps(), fixtureScenario());
    source.ensure = () => {
      throw new Error('simulation broke');
    };
    const app = await mount(() => inkApp(80, 24, source));
    const exited = app.instance.waitUntilExit();
    // Outside act: the app ends itself here, and the exit promise is what is being tested.
    const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    actEnvironment.IS_REACT_ACT_ENVIRONMENT = false;
    try {
      app.stdin.write(KEY.ENTER);
      await expect(exited).rejects.toThrow('simulation broke');
    } finally {
      actEnvironment.IS_REACT_ACT_ENVIRONMENT = true;
    }
    expect(app.stdin.isRaw).toBe(false);
  });

  it('playInteractive refuses to start without a terminal, leaving raw mode alone', async () => {
    if (process.stdin.isTTY) return; // only meaningful when the test runner has no terminal
    let written = '';
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await playInteractive(fixtureScenario(), { env: {} })).toBe(2);
    } finally {
      process.stderr.write = original;
    }
    expect(written).toContain('play needs an interactive terminal');
  });
});

describe('colour', () => {
  it('is off when NO_COLOR has any non-empty value', () => {
    expect(colorDisabled({ NO_COLOR: '1' })).toBe(true);
    expect(colorDisabled({ NO_COLOR: '' })).toBe(false);
    expect(colorDisabled({})).toBe(false);
  });
});

describe('a large terminal', () => {
  it('puts the cluster panel and the explanation side by side and lists more messages', async () => {
    const app = await mount(() => inkApp(120, 40));
    await press(app.stdin, KEY.ENTER, 'G');
    const lines = app.stdout.lastFrame()!.split('\n');
    expect(lines.some((line) => line.includes('─ Cluster after step 19') && line.includes('─ Step 19'))).toBe(true);
    expect(lines).toHaveLength(39);
    expect(lines.filter((line) => /^[▶ ] +\d+ \d\d:\d\d\.\d{3} /.test(line)).length).toBeGreaterThan(10);
    await during(() => app.instance.unmount());
  });
});
