/**
 * Reading the YAML text: parse it with positions kept, turn parser errors into PathIssues at
 * offsets, and map a path in the document (`spec.nodes[1].capacity.cpu`) back to the line and
 * column where it was written. The parsed value is plain JSON-like data (core schema, no tags,
 * no aliases beyond a small budget), ready for the zod schema.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { MAX_DEPTH, MAX_SCENARIO_BYTES, tooLarge } from './limits.js';
import type { PathIssue, PathSegment } from './problems.js';

/** More aliases than this in one file is a "billion laughs" bomb, not a scenario. */
export const MAX_ALIAS_COUNT = 100;
const MAX_YAML_ERRORS = 10;

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** An issue found while reading the text: at a known text offset, or (without one) at its path. */
export type SourceIssue = PathIssue & { readonly offset?: number };

export interface ParsedSource {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export type ParseResult =
  | { ok: true; source: ParsedSource; value: unknown }
  | { ok: false; source?: ParsedSource; issues: SourceIssue[] };

function yamlErrorMessage(code: string, message: string, path: readonly PathSegment[]): string {
  if (code === 'DUPLICATE_KEY') return `duplicate key "${String(path[path.length - 1] ?? '')}"`;
  if (code === 'MULTIPLE_DOCS') return 'a scenario is a single YAML document; remove the second "---"';
  if (code === 'RESOURCE_EXHAUSTION') return 'the YAML is nested too deeply to read';
  if (code === 'TAB_AS_INDENT') return 'YAML: tabs are not allowed as indentation; indent with spaces';
  const first = message.split('\n')[0].trim().replace(/\.$/, '');
  return `YAML: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

function at(doc: Document.Parsed, offset: number, message: string): SourceIssue {
  return { path: pathAtOffset(doc, offset), offset, message };
}

/** Explicit tags (!!binary, !!timestamp, !custom) and non-scalar keys have no place in a scenario. */
function shapeIssues(doc: Document.Parsed): SourceIssue[] {
  const issues: SourceIssue[] = [];
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag) && node.range) {
        const tag = node.tag.replace('tag:yaml.org,2002:', '!!');
        issues.push(at(doc, node.range[0], `YAML tag ${tag} is not allowed in a scenario`));
      }
    },
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      if (key !== null && !isScalar(key) && key.range) {
        issues.push(at(doc, key.range[0], 'a key must be a plain name, not a list or mapping'));
      }
    },
  });
  return issues;
}

/**
 * Parses one YAML document into plain data, or the problems that stop it. Never throws. Text over
 * `maxBytes` is refused unread (only generated scenarios, such as the benchmark's, pass more).
 */
export function parseYaml(text: string, maxBytes: number = MAX_SCENARIO_BYTES): ParseResult {
  if (text.includes('\u0000')) {
    return { ok: false, issues: [{ path: [], offset: 0, message: 'this is a binary file, not a YAML scenario' }] };
  }
  if (text.length > maxBytes) return { ok: false, issues: [{ path: [], offset: 0, message: tooLarge(text.length) }] };
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *defaults`) as kubectl reads them (sigs.k8s.io/yaml accepts them too).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, schema: 'core', version: '1.2', merge: true });
  const source = { doc, lineCounter };
  const directive = versionDirective(text);
  if (directive) return { ok: false, source, issues: [{ ...directive, path: [] }] };
  const all = [...doc.errors, ...doc.warnings];
  // A tab in the indentation confuses everything after it; report only the tabs.
  const tabs = all.filter((error) => error.code === 'TAB_AS_INDENT');
  const errors = (tabs.length > 0 ? tabs : all).slice(0, MAX_YAML_ERRORS);
  if (errors.length > 0) {
    const issues = errors.map((error) => {
      if (error.code === 'RESOURCE_EXHAUSTION') return tooDeep(doc, pathAtOffset(doc, error.pos[0]));
      const indentation = indentationIssue(doc, text, error);
      if (indentation) return indentation;
      const path = error.code === 'MULTIPLE_DOCS' ? [] : pathAtOffset(doc, error.pos[0]);
      return { path, offset: error.pos[0], message: yamlErrorMessage(error.code, error.message, path) };
    });
    return { ok: false, source, issues: oncePerLine(source, issues) };
  }
  const contents = doc.contents as Node | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { ok: false, source, issues: [at(doc, 0, 'the file is empty; a scenario starts with "apiVersion: kube-learn/v1"')] };
  }
  if (!isMap(contents)) {
    const got = isSeq(contents) ? 'a list' : 'a single value';
    const message = `expected a mapping (apiVersion, kind, metadata, spec) at the top, got ${got}`;
    return { ok: false, source, issues: [{ path: [], offset: contents.range?.[0] ?? 0, message }] };
  }
  const deep = firstTooDeep(contents);
  if (deep) return { ok: false, source, issues: [tooDeep(doc, pathAtOffset(doc, deep))] };
  const shape = shapeIssues(doc);
  if (shape.length > 0) return { ok: false, source, issues: shape };
  try {
    return { ok: true, source, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    return { ok: false, source, issues: [aliasIssue(doc, error)] };
  }
}

/**
 * A `%YAML` directive for another version than 1.2. YAML 1.1 reads `yes`, `on` and `0777`
 * differently (a boolean, an octal number), so the file would not mean what it says; refuse it.
 */
function versionDirective(text: string): { offset: number; message: string } | undefined {
  const match = /^%YAML[ \t]+(\S+)/m.exec(text);
  if (!match || match[1] === '1.2') return undefined;
  return {
    offset: match.index,
    message: `"%YAML ${match[1]}": a scenario is YAML 1.2 (in YAML 1.1, yes, no, on and off are booleans and 0777 is octal); remove this line and quote such values`,
  };
}

/** The offset of the first character that is not a space from `offset` on, within its line. */
function firstNonSpace(text: string, offset: number): number {
  let at = offset;
  while (text[at] === ' ') at++;
  return at;
}

/**
 * Indentation mistakes as a reader sees them: at the line that is indented wrongly, once. A line
 * indented deeper than the key above it makes the parser complain about that key (a multi-line
 * implicit key), twice; the line to fix is the next one.
 */
function indentationIssue(doc: Document.Parsed, text: string, error: { code: string; pos: [number, number]; message: string }): SourceIssue | undefined {
  const { code, pos } = error;
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    const newline = text.indexOf('\n', pos[0]);
    if (newline === -1) return undefined;
    const offset = firstNonSpace(text, newline + 1);
    return {
      // The path ends with the broken key and the key whose value it is; the line belongs beside the latter.
      path: pathAtOffset(doc, pos[0]).slice(0, -2),
      offset,
      message: 'YAML: this line is indented deeper than the key above it, so it reads as part of that value; line it up with the keys it belongs with',
    };
  }
  const unaligned =
    (code === 'BAD_INDENT' && error.message.startsWith('All mapping items must start at the same column')) ||
    (code === 'MISSING_CHAR' && error.message.startsWith('Sequence item without'));
  if (unaligned) {
    return {
      path: pathAtOffset(doc, pos[0]),
      offset: firstNonSpace(text, pos[0]),
      message: 'YAML: this line is not lined up with the lines above it (the keys of one mapping start at the same column)',
    };
  }
  return undefined;
}

/** One problem per line: the parser often reports one mistake several ways at the same place. */
function oncePerLine(source: ParsedSource, issues: SourceIssue[]): SourceIssue[] {
  const lines = new Set<number>();
  return issues.filter((issue) => {
    const line = lineColumn(source, issue.offset ?? 0).line;
    if (lines.has(line)) return false;
    lines.add(line);
    return true;
  });
}

/**
 * Nesting too deep to read, reported where the deep part starts (a few levels in), so the place
 * does not depend on how much stack the parser had when it gave up.
 */
function tooDeep(doc: Document.Parsed, path: readonly PathSegment[]): SourceIssue {
  const at = path.slice(0, 3);
  return { path: at, offset: offsetOfPath(doc, at), message: `the YAML is nested more than ${MAX_DEPTH} levels deep; a scenario needs far fewer` };
}

function aliasIssue(doc: Document.Parsed, error: unknown): SourceIssue {
  let offset = 0;
  visit(doc, {
    Alias(_key, alias) {
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  const text = error instanceof Error ? error.message : String(error);
  const message = /excessive alias/i.test(text)
    ? `more than ${MAX_ALIAS_COUNT} alias expansions; this looks like an alias bomb`
    : `YAML: ${text.split('\n')[0]}`;
  return { path: pathAtOffset(doc, offset), offset, message };
}

function deref(doc: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The node a path leads to (or the deepest one on the way), and the key node it was reached by. */
function nodeAtPath(doc: Document.Parsed, path: readonly PathSegment[]) {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  let complete = true;
  for (const segment of path) {
    node = deref(doc, node);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) {
        complete = false;
        break;
      }
      key = pair.key as Node;
      const value = pair.value as Node | null;
      node = value === null || (isScalar(value) && value.value === null && value.source === '') ? key : value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      key = undefined;
    } else {
      complete = false;
      break;
    }
  }
  return { node: node as Node | null, key, complete };
}

/**
 * The text offset to report for a path: the value written there (or its key, for unknown keys),
 * or, when the path goes past what was written (a missing field), the key or item it is missing from.
 */
export function offsetOfPath(doc: Document.Parsed, path: readonly PathSegment[], atKey = false): number {
  const { node, key, complete } = nodeAtPath(doc, path);
  const target = !complete || atKey ? (key ?? node) : node;
  return target?.range?.[0] ?? 0;
}

/** The path of the innermost node containing `offset`, for parser errors. */
export function pathAtOffset(doc: Document.Parsed, offset: number): PathSegment[] {
  const path: PathSegment[] = [];
  let node: unknown = doc.contents;
  const inside = (n: unknown) => {
    const range = (n as Node | null)?.range;
    return range !== undefined && range !== null && offset >= range[0] && offset <= range[1];
  };
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && (inside(item.key) || inside(item.value)));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      if (inside(pair.key)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => inside(item));
      if (index === -1) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return path;
}

/** 1-based line and column of a text offset. */
export function lineColumn(source: ParsedSource, offset: number): { line: number; column: number } {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line: Math.max(1, line), column: Math.max(1, col) };
}

/** The offset of the first node deeper than MAX_DEPTH, without recursion. */
export function firstTooDeep(root: Node): number | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (depth > MAX_DEPTH) return (node as Node).range?.[0] ?? 0;
    if (isMap(node)) for (const item of node.items) stack.push({ node: item.value, depth: depth + 1 });
    else if (isSeq(node)) for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
  }
  return undefined;
}
