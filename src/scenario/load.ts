/**
 * Loading a scenario: YAML text => validated, normalised Scenario, or every problem found,
 * each with file, line, column and path. Nothing here throws for any input; the caller
 * prints the problems and exits 2. Only loadScenarioFile touches the file system, through
 * read-file.ts.
 */
import { checkScenario } from './semantic.js';
import { withNodeAddresses } from './network.js';
import { normalise } from './normalise.js';
import { readScenarioFile } from './read-file.js';
import type { PathIssue, Problem } from './problems.js';
import { formatPath } from './problems.js';
import { scenarioSchema } from './schema.js';
import { scenarioWarnings } from './warnings.js';
import type { Scenario } from './types.js';
import { lineColumn, offsetOfPath, parseYaml, type ParsedSource, type SourceIssue } from './yaml-source.js';
import { scenarioErrorMap, toPathIssues } from './zod-issues.js';

/** A loaded scenario carries its warnings (sorted like problems); they never stop it loading. */
export type LoadResult = { ok: true; scenario: Scenario; warnings: Problem[] } | { ok: false; problems: Problem[] };

function locate(file: string, source: ParsedSource | undefined, issue: SourceIssue): Problem {
  const offset = issue.offset ?? (source ? offsetOfPath(source.doc, issue.path, issue.atKey) : 0);
  const { line, column } = source ? lineColumn(source, offset) : { line: 1, column: 1 };
  const problem: Problem = { file, line, column, path: formatPath(issue.path), message: issue.message };
  return issue.suggestion === undefined ? problem : { ...problem, suggestion: issue.suggestion };
}

/** Problems in file order, so a reader can fix them top to bottom. */
function sorted(problems: Problem[]): Problem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => a.problem.line - b.problem.line || a.problem.column - b.problem.column || a.index - b.index)
    .map((entry) => entry.problem);
}

function load(text: string, file: string, maxBytes: number | undefined): LoadResult {
  const parsed = parseYaml(text.startsWith('\uFEFF') ? text.slice(1) : text, maxBytes);
  if (!parsed.ok) return { ok: false, problems: sorted(parsed.issues.map((issue) => locate(file, parsed.source, issue))) };
  const { source, value } = parsed;
  const fail = (issues: readonly PathIssue[]): LoadResult => ({
    ok: false,
    problems: sorted(issues.map((issue) => locate(file, source, issue))),
  });
  const result = scenarioSchema.safeParse(value, { error: scenarioErrorMap, reportInput: true });
  if (!result.success) return fail(toPathIssues(result.error.issues, scenarioSchema, value));
  const scenario = normalise(result.data);
  const issues = checkScenario(scenario);
  if (issues.length > 0) return fail(issues);
  const addressed = withNodeAddresses(scenario);
  if (!addressed.ok) return fail([addressed.issue]);
  const warnings = sorted(scenarioWarnings(addressed.scenario).map((issue): Problem => ({ ...locate(file, source, issue), severity: 'warning' })));
  return { ok: true, scenario: addressed.scenario, warnings };
}

/**
 * Validates and normalises a scenario given as text. `fileName` is only used in problems.
 * Never throws: an unexpected failure inside a library becomes a problem too. `maxBytes`
 * raises the size cap for text the program generated itself (the benchmark's 5,000-node
 * cluster with Services is about 6 MiB); a user's scenario keeps MAX_SCENARIO_BYTES.
 */
export function loadScenarioText(text: string, fileName: string, options: { readonly maxBytes?: number } = {}): LoadResult {
  try {
    if (typeof text !== 'string') return { ok: false, problems: [fileProblem(fileName, 'expected the text of a YAML file')] };
    return load(text, fileName, options.maxBytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [fileProblem(fileName, `could not read this file as a scenario: ${reason}`)] };
  }
}

function fileProblem(file: string, message: string): Problem {
  return { file, line: 1, column: 1, path: '(root)', message };
}

/** Reads and loads a scenario file; unreadable, binary or non-UTF-8 files are problems, not exceptions. */
export function loadScenarioFile(path: string): LoadResult {
  const read = readScenarioFile(path);
  if (!read.ok) return { ok: false, problems: [fileProblem(path, read.message)] };
  return loadScenarioText(read.text, path);
}

/**
 * Problems found later (after a run) at paths of a scenario file, with their line and column:
 * the file is parsed again only to find where each path was written.
 */
export function locateIssues(text: string, file: string, issues: readonly PathIssue[], severity?: 'warning'): Problem[] {
  const parsed = parseYaml(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const source = parsed.ok ? parsed.source : undefined;
  return sorted(issues.map((issue) => ({ ...locate(file, source, issue), ...(severity ? { severity } : {}) })));
}
