import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxPane, tmuxAvailable } from './tmux.js';
import { Session } from '../../src/cluster/session.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

/**
 * The real binary in a real terminal: `kube-learn play first-node` inside tmux at 120×40 and
 * at 80×24, driven by keys and read back from the screen.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const hasTmux = tmuxAvailable();
if (!hasTmux) console.log('test/tui/tmux.test.ts skipped: tmux is not installed');

const stepOf = (screen: string) => Number(/step (\d+)\//.exec(screen)?.[1] ?? NaN);
const STAGE_NAMES = ['Authentication', 'Registration', 'Synchronization', 'Networking'];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

beforeAll(() => {
  if (!hasTmux) return;
  // `npm test` builds first; build here too when dist/ is missing or older than the sources.
  const built = join(root, 'dist/ui/play.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(root, 'src'))) {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
  }
}, 120_000);

describe.skipIf(!hasTmux).each([
  [120, 40],
  [80, 24],
])('kube-learn play in tmux at %i×%i', (columns, rows) => {
  let pane: TmuxPane;
  beforeAll(() => {
    pane = new TmuxPane(columns, rows, root);
  });
  afterAll(() => pane?.close());

  it('walks through intro, stepping, stages and help, and quits leaving the terminal as it was', async () => {
    pane.run('node bin/kube-learn.js play first-node; echo "EXIT=$?"');
    await pane.waitFor((s) => s.includes('Enter start'), 'the intro screen');

    pane.keys('Enter');
    let screen = await pane.waitFor((s) => /step \d+\/\d+ /.test(s), 'the main screen with the whole scenario counted');
    for (const stage of STAGE_NAMES) expect(screen).toContain(stage);
    const first = stepOf(screen);

    pane.keys('Right', 'Right');
    await pane.waitFor((s) => stepOf(s) === first + 2, `step ${first + 2}`);
    // A capture can catch a frame half drawn: compare screens only once they stop changing.
    const atTwo = await pane.settled();
    pane.keys('Right');
    screen = await pane.waitFor((s) => stepOf(s) === first + 3, `step ${first + 3}`);
    expect(stepOf(screen)).toBe(first + 3);
    pane.keys('Left');
    screen = await pane.waitFor((s) => stepOf(s) === first + 2, `back to step ${first + 2}`);
    expect(await pane.settled()).toBe(atTwo);

    pane.keys('3');
    // A checkpoint on the way asks first; Esc skips it and the jump goes on.
    screen = await pane.waitFor((s) => /Step \d+ Synchronization/.test(s) || s.includes('Esc skip'), 'the first Synchronization step');
    for (let i = 0; i < 5 && screen.includes('Esc skip'); i++) {
      pane.keys('Escape');
      screen = await pane.waitFor((s) => /Step \d+ Synchronization/.test(s) || s.includes('Esc skip'), 'the first Synchronization step');
    }
    expect(screen).toMatch(/Step \d+ Synchronization/);

    pane.keys('?');
    await pane.waitFor((s) => s.includes('previous step (the cluster exactly as it was then)') && s.includes('Help lines 1–'), 'the help overlay');
    pane.keys('Escape');
    await pane.waitFor((s) => s.includes('─ Messages'), 'the help overlay to close');

    pane.keys('q');
    screen = await pane.waitFor((s) => /^EXIT=\d+$/m.test(s), 'the player to exit');
    expect(screen).toMatch(/^EXIT=0$/m);
    expect(screen).not.toContain('─ Messages'); // the original screen is back
    expect(pane.attribute('cursor_flag')).toBe('1');
    expect(pane.attribute('alternate_on')).toBe('0');
    pane.run('clear; stty -a');
    screen = await pane.waitFor((s) => s.includes('icanon'), 'stty output');
    expect(screen).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(screen).toMatch(/(^|\s)echo(\s|$)/m);
  });
});

describe.skipIf(!hasTmux)('kube-learn play in tmux at 80×24: checkpoints, resizing, signals', () => {
  let pane: TmuxPane;
  beforeAll(() => {
    pane = new TmuxPane(80, 24, root);
  });
  afterAll(() => pane?.close());

  it('asks the checkpoints it passes and prints the score when it quits', async () => {
    pane.run('clear; node bin/kube-learn.js play first-node; echo "EXIT=$?"');
    await pane.waitFor((s) => s.includes('Enter start'), 'the intro screen');
    pane.keys('Enter');
    await pane.waitFor((s) => /step \d+\/\d+ /.test(s), 'the whole scenario counted');
    pane.keys('G');
    await pane.waitFor((s) => s.includes('Checkpoint 1 of 2') && s.includes('Press 1 to 3 to answer'), 'the first checkpoint');
    pane.keys('2');
    await pane.waitFor((s) => s.includes('✓ Right.') && s.includes('✓ 2. system:bootstrap:abcdef'), 'the verdict');
    pane.keys('Enter');
    await pane.waitFor((s) => s.includes('Checkpoint 2 of 2'), 'the second checkpoint');
    pane.keys('Escape');
    await pane.waitFor((s) => s.includes('Score: 1 of 2 checkpoints right, 1 skipped'), 'the score');
    pane.keys('o');
    const goals = await pane.waitFor((s) => s.includes('─ Goals ('), 'the goals');
    expect(goals).toMatch(/✓ by 1m: node\/worker-1 condition=Ready\s+held at 00:0\d\.\d{3}/);
    expect(goals).not.toContain('✗');
    pane.keys('o');
    await pane.waitFor((s) => /─ Messages · goals (\d)\/\1 met \(o\)/.test(s), 'the goals closed, all met');
    pane.keys('q');
    const screen = await pane.waitFor((s) => /^EXIT=\d+$/m.test(s), 'the player to exit');
    expect(screen).toContain('first-node: 1 of 2 checkpoints right, 1 skipped');
    expect(screen).toMatch(/^EXIT=0$/m);
  });

  it('answers keys pressed as soon as the intro is drawn, while the simulation core still loads', async () => {
    pane.run('clear; node bin/kube-learn.js play first-node; echo "EXIT=$?"');
    await pane.waitFor((s) => s.includes('Enter start'), 'the intro screen');
    pane.keys('q');
    const screen = await pane.waitFor((s) => /^EXIT=\d+$/m.test(s), 'the player to exit', 10_000);
    expect(screen).toMatch(/^EXIT=0$/m);
    expect(pane.attribute('cursor_flag')).toBe('1');
  });

  it('shows a clear message when the window shrinks below 80×24, and recovers', async () => {
    pane.run('clear; node bin/kube-learn.js play first-node; echo "EXIT=$?"');
    await pane.waitFor((s) => s.includes('Enter start'), 'the intro screen');
    pane.keys('Enter', 'Right');
    const screen = await pane.waitFor((s) => /step \d+\/\d+ /.test(s), 'the main screen');
    const step = stepOf(screen);
    pane.resize(70, 20);
    await pane.waitFor((s) => s.includes('needs a terminal of at least 80×24') && s.includes('70×20'), 'the too-small message');
    pane.resize(80, 24);
    await pane.waitFor((s) => stepOf(s) === step && s.includes('─ Messages'), 'the player to come back');
    pane.keys('C-c');
    const after = await pane.waitFor((s) => /^EXIT=\d+$/m.test(s), 'the player to exit');
    expect(after).toMatch(/^EXIT=130$/m);
    expect(pane.attribute('cursor_flag')).toBe('1');
  });

  it('SIGTERM leaves the terminal usable: raw mode off, cursor shown, screen restored', async () => {
    pane.run('clear; node bin/kube-learn.js play first-node; echo "EXIT=$?"');
    await pane.waitFor((s) => s.includes('Enter start'), 'the intro screen');
    pane.keys('Enter');
    await pane.waitFor((s) => /step \d+\//.test(s), 'the main screen');
    const shell = Number(pane.attribute('pane_pid'));
    const child = spawnSync('pgrep', ['-P', String(shell), '-f', 'kube-learn'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
    expect(Number(child)).toBeGreaterThan(0);
    process.kill(Number(child), 'SIGTERM');
    const screen = await pane.waitFor((s) => /^EXIT=\d+$/m.test(s), 'the player to exit');
    expect(screen).toMatch(/^EXIT=(130|143)$/m);
    expect(pane.attribute('cursor_flag')).toBe('1');
    expect(pane.attribute('alternate_on')).toBe('0');
    pane.run('clear; stty -a');
    expect(await pane.waitFor((s) => s.includes('icanon'), 'stty output')).toMatch(/(^|\s)icanon(\s|$)/m);
  });
});

describe.skipIf(!hasTmux)('kube-learn play in tmux: a jump far ahead', () => {
  let pane: TmuxPane;
  beforeAll(() => {
    pane = new TmuxPane(120, 40, root);
  });
  afterAll(() => pane?.close());

  it('G in a 24-hour run shows the simulation getting on, and Ctrl-C in the middle of it exits 130 with the terminal restored', async () => {
    pane.run('clear; node bin/kube-learn.js play first-node --until 24h; echo "EXIT=$?"');
    await pane.waitFor((s) => s.includes('Enter start'), 'the intro screen');
    pane.keys('Enter');
    let screen = await pane.waitFor((s) => /step \d+\//.test(s), 'the main screen');
    if (screen.includes('Esc skip')) pane.keys('Escape');
    pane.keys('G');
    const steps = (s: string) => Number(/simulating… t=\S+ · ([\d,]+) steps/.exec(s)?.[1].replace(/,/g, '') ?? NaN);
    screen = await pane.waitFor((s) => s.includes('simulating…') && s.includes('for the last step'), 'the progress line');
    const first = steps(screen);
    // The screen keeps being redrawn while the simulation runs on between keys.
    await pane.waitFor((s) => steps(s) > first, 'the progress line to move on');
    pane.keys('C-c');
    screen = await pane.waitFor((s) => /^EXIT=\d+$/m.test(s), 'the player to exit');
    expect(screen).toMatch(/^EXIT=130$/m);
    expect(pane.attribute('cursor_flag')).toBe('1');
    expect(pane.attribute('alternate_on')).toBe('0');
    pane.run('clear; stty -a');
    expect(await pane.waitFor((s) => s.includes('icanon'), 'stty output')).toMatch(/(^|\s)icanon(\s|$)/m);
  });
});

describe.skipIf(!hasTmux).each([
  [120, 40],
  [80, 24],
])('kube-learn play node-goes-dark in tmux at %i×%i', (columns, rows) => {
  let pane: TmuxPane;
  beforeAll(() => {
    pane = new TmuxPane(columns, rows, root);
  });
  afterAll(() => pane?.close());

  /** Steps forward to `target`, skipping any checkpoint question on the way. */
  async function stepTo(target: number): Promise<string> {
    for (;;) {
      const screen = await pane.settled();
      if (screen.includes('Esc skip')) {
        pane.keys('Escape');
        continue;
      }
      const at = stepOf(screen);
      if (at >= target) return screen;
      pane.keys('-l', 'l'.repeat(target - at));
      await pane.waitFor((s) => stepOf(s) > at || s.includes('Esc skip'), 'the player to move');
    }
  }

  it('shows a cut-off node as the API sees it, failed requests as timeouts, and a legend and glossary on ?', async () => {
    pane.run('clear; node bin/kube-learn.js play node-goes-dark; echo "EXIT=$?"');
    await pane.waitFor((s) => s.includes('Enter start'), 'the intro screen');
    pane.keys('Enter');
    await pane.waitFor((s) => /step \d+\/\d+ /.test(s), 'the whole scenario counted');
    // Where to look, from the recorded run: worker-2's first request that timed out after the
    // partition, and the write that gave it both unreachable taints.
    const loaded = loadScenarioFile(join(root, 'scenarios', 'node-goes-dark.yaml'));
    if (!loaded.ok) throw new Error('node-goes-dark does not load');
    const session = new Session(loaded.scenario);
    session.runToEnd();
    const partitionMs = loaded.scenario.spec.timeline[0].atMs;
    const timedOut = session.steps.find((st) => st.from === 'kubelet/worker-2' && st.kind === 'request' && st.t > partitionMs && st.status === 0)!;
    const tainted = session.steps.find((st) => st.kind === 'request' && st.path?.includes('/nodes/worker-2') && (st.after as { spec?: { taints?: { key: string }[] } } | undefined)?.spec?.taints?.filter((x) => x.key === 'node.kubernetes.io/unreachable').length === 2)!;
    let screen = await stepTo(timedOut.step + 2);
    // The kubelet's renewals across the partition time out, each on its own row.
    expect(screen).toMatch(/kubelet\/worker-2 → kube-api.* timeout/);
    expect(screen).toMatch(/worker-2 +True +[0-9ms]+ +cut off /);
    screen = await stepTo(tainted.step + 1);
    expect(screen).toMatch(/worker-2 +Unknown +[0-9ms]+ +cut off +unreachable:NoSchedule,NoExecute/);
    expect(screen).toMatch(/^NAMESPACE +POD +READY +PHASE +NODE +IP/m);

    pane.keys('?');
    screen = await pane.waitFor((s) => s.includes('What the marks mean') || s.includes('─ Help lines'), 'the help');
    // Page down until the legend's LEASE entry is on screen (how many pages depends on the size).
    for (let page = 0; page < 4 && !(screen.includes('LEASE ') && screen.includes('kube-node-lease')); page++) {
      const before = screen;
      pane.keys('NPage');
      screen = await pane.waitFor((s) => s !== before, 'the next help page');
    }
    expect(screen).toContain('kube-node-lease');
    pane.keys('G');
    screen = await pane.waitFor((s) => s.includes('https://kubernetes.io/docs/'), 'the glossary links');
    expect(screen).toContain('kube-proxy');
    pane.keys('Escape', 'q');
    screen = await pane.waitFor((s) => /^EXIT=\d+$/m.test(s), 'the player to exit');
    expect(screen).toMatch(/^EXIT=0$/m);
  });
});
