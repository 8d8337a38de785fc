import { describe, expect, it } from 'vitest';
import { looksLikePath, resolveScenarioPath, scenarioNameOf } from './builtin.js';
import { listScenarioFiles, readScenarioFile } from './read-file.js';
import { fixturePath } from './testdata/fixtures.js';

describe('resolveScenarioPath', () => {
  it.each([
    ['node-goes-dark', 'scenarios', 'scenarios/node-goes-dark.yaml'],
    ['node-goes-dark', '/opt/kl/scenarios/', '/opt/kl/scenarios/node-goes-dark.yaml'],
    ['./mine.yaml', 'scenarios', './mine.yaml'],
    ['mine.yaml', 'scenarios', 'mine.yaml'],
    ['mine.yml', 'scenarios', 'mine.yml'],
    ['dir/thing', 'scenarios', 'dir/thing'],
    ['C:\\work\\x', 'scenarios', 'C:\\work\\x'],
  ])('%j in %j => %j', (nameOrPath, dir, expected) => {
    expect(resolveScenarioPath(nameOrPath, dir)).toBe(expected);
  });

  it('tells names from paths and names files after their scenario', () => {
    expect(looksLikePath('first-node')).toBe(false);
    expect(looksLikePath('a/b')).toBe(true);
    expect(scenarioNameOf('scenarios/node-goes-dark.yaml')).toBe('node-goes-dark');
  });
});

describe('read-file', () => {
  it('lists YAML files in name order and nothing for a missing directory', () => {
    const dir = fixturePath('');
    expect(listScenarioFiles(dir).map(scenarioNameOf)).toEqual(['binary', 'contract-example', 'latin1']);
    expect(listScenarioFiles(fixturePath('nope'))).toEqual([]);
  });

  it('reads UTF-8 text as is', () => {
    const read = readScenarioFile(fixturePath('contract-example.yaml'));
    expect(read.ok && read.text.startsWith('apiVersion: kube-learn/v1')).toBe(true);
  });
});
