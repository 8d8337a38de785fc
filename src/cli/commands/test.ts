import { isAbsolute, relative } from 'node:path';
import { Command } from 'commander';
import type { PathIssue, Scenario } from '../../scenario/index.js';
import { formatDuration } from '../../scenario/duration.js';
import { formatProblem } from '../../scenario/problems.js';
import { readScenarioFile } from '../../scenario/read-file.js';
import { formatVirtualTime } from '../../sim/clock.js';
import { EXIT, KubeLearnError } from '../errors.js';
import type { CliIo } from '../io.js';
import { seedOption } from '../options.js';
import { interruptible } from '../slices.js';
import { SCENARIOS_DIR, STRICT_DESCRIPTION } from '../scenario-path.js';
import type { ScenarioTestRun } from '../scenario-test.js';
import { scenarioFilesFrom } from './validate.js';

/**
 * Warnings only a run can tell: a `by:` expectation that already held before the first timeline
 * action (so it says nothing about what the timeline does), and a checkpoint after a step the
 * run never reaches.
 */
export function runWarnings(scenario: Scenario, run: ScenarioTestRun): PathIssue[] {
  const issues: PathIssue[] = [];
  const first = scenario.spec.timeline.reduce((min, event) => Math.min(min, event.atMs), Infinity);
  for (const result of run.results) {
    const { expectation, heldAtMs } = result;
    if (expectation.when !== 'by' || heldAtMs === undefined || heldAtMs >= first || expectation.timeMs <= first) continue;
    issues.push({
      path: ['spec', 'expect', result.index],
      message: `already held at ${formatDuration(heldAtMs)}, before the first timeline action (${formatDuration(first)}), so it does not test the timeline; use at: or an earlier by:`,
    });
  }
  if (run.steps !== undefined && run.error === undefined) {
    scenario.spec.checkpoints.forEach((checkpoint, index) => {
      if ('step' in checkpoint.after && checkpoint.after.step > (run.steps ?? 0)) {
        issues.push({ path: ['spec', 'checkpoints', index, 'after', 'step'], message: `step ${checkpoint.after.step} is beyond the run, which has ${run.steps} steps; the question is never asked` });
      }
    });
  }
  return issues;
}

function report(io: CliIo, shown: string, scenario: Scenario, run: ScenarioTestRun): { passed: number; failed: number } {
  const { spec } = scenario;
  let passed = 0;
  let failed = 0;
  for (const result of run.results) {
    if (result.pass) passed++;
    else failed++;
    io.stdout.write(`  ${result.pass ? 'PASS' : 'FAIL'}  ${result.message}\n`);
  }
  if (run.error !== undefined) {
    io.stdout.write(`  ERROR  the run stopped: ${run.error}\n`);
    // A run that stopped before its expectations were even set up fails all of them.
    if (run.results.length === 0) failed += Math.max(1, spec.expect.length);
  } else if (run.results.length === 0) io.stdout.write('  (no expectations: add expect: entries to test this scenario)\n');
  if (failed > 0) io.stdout.write(`  reproduce: kube-learn run ${shown} --seed ${spec.seed}\n`);
  return { passed, failed };
}

/**
 * `kube-learn test [file|dir...]`: runs each scenario (the built-in ones by default) headless,
 * prints each expectation as PASS or FAIL with when it held or what was last seen, and ends with
 * `N passed, N failed`. Exit 1 if any failed; 2 if a file is not a valid scenario; 3 if a run crashed.
 */
export function createTestCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('test')
    .description("run scenarios headless and check their expect: entries (default: the built-in scenarios)")
    .argument('[paths...]', 'scenario files, directories of them, or built-in scenario names')
    .addOption(seedOption())
    .option('--strict', `${STRICT_DESCRIPTION}; a warning from the run fails the test (exit 1)`)
    .action((paths: string[], opts: { seed?: number; strict?: boolean }) => interruptible(async () => {
      const builtin = relative(io.cwd, SCENARIOS_DIR);
      const defaults = [builtin === '' || builtin.startsWith('..') || isAbsolute(builtin) ? SCENARIOS_DIR : builtin];
      const files = scenarioFilesFrom(paths.length > 0 ? paths : defaults, io.cwd);
      let passed = 0;
      let failed = 0;
      let invalid = 0;
      let crashed = 0;
      // Loaded only here: the simulation core is not needed to parse arguments.
      const { packetWalkCheck, testScenario } = await import('../scenario-test.js');
      const { loadArg, reportWarnings, withSeed } = await import('../scenario-source.js');
      const { locateIssues } = await import('../../scenario/load.js');
      for (const file of files) {
        const loaded = loadArg(file);
        if (!loaded.ok) {
          invalid++;
          io.stderr.write(loaded.problems.map((p) => `${formatProblem(p)}\n`).join(''));
          continue;
        }
        try {
          reportWarnings(io, loaded.warnings, opts.strict);
        } catch {
          invalid++;
          continue;
        }
        const scenario = withSeed(loaded.scenario, opts.seed);
        // The name first, so a long run shows what it is running.
        io.stdout.write(`${scenario.metadata.name}  ${file.shown}  seed=${scenario.spec.seed}\n`);
        const outcome = await testScenario(scenario, packetWalkCheck, io.signal);
        if (outcome.interrupted) {
          io.stdout.write(`  INTERRUPTED  at ${formatVirtualTime(outcome.nowMs ?? 0)} virtual time; its expectations were not decided\n`);
          io.stdout.write(`${passed} passed, ${failed} failed before the interrupt\n`);
          throw new KubeLearnError('interrupted', EXIT.interrupted);
        }
        if (outcome.error !== undefined) crashed++;
        const counts = report(io, file.shown, scenario, outcome);
        const late = runWarnings(scenario, outcome);
        if (late.length > 0) {
          const read = readScenarioFile(file.path);
          io.stderr.write(locateIssues(read.ok ? read.text : '', file.shown, late, 'warning').map((p) => `${formatProblem(p)}\n`).join(''));
          if (opts.strict) counts.failed += late.length;
        }
        passed += counts.passed;
        failed += counts.failed;
      }
      if (invalid === 1) io.stderr.write('1 file is not a valid scenario (see above); it was not run\n');
      if (invalid > 1) io.stderr.write(`${invalid} files are not valid scenarios (see above); they were not run\n`);
      io.stdout.write(`${passed} passed, ${failed} failed\n`);
      // A run that crashed is kube-learn's bug, not the scenario's: exit 3 says so even when tests failed too.
      setExitCode(crashed > 0 ? EXIT.internal : invalid > 0 ? EXIT.usage : failed > 0 ? EXIT.failed : EXIT.ok);
    }));
}
