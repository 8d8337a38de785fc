import { describe, expect, it } from 'vitest';
import { loadScenarioText } from './load.js';
import { cidrsOverlap, parseCidr } from './network.js';
import { formatProblem } from './problems.js';

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.cidr;
}

describe('CIDRs', () => {
  it('overlap when one contains the other or they are equal, not when they are neighbours', () => {
    expect(cidrsOverlap(cidr('10.96.0.0/12'), cidr('10.100.0.0/16'))).toBe(true);
    expect(cidrsOverlap(cidr('10.100.0.0/16'), cidr('10.96.0.0/12'))).toBe(true);
    expect(cidrsOverlap(cidr('10.244.0.0/16'), cidr('10.244.0.0/16'))).toBe(true);
    expect(cidrsOverlap(cidr('10.244.0.0/16'), cidr('10.245.0.0/16'))).toBe(false);
    expect(cidrsOverlap(cidr('10.96.0.0/12'), cidr('10.244.0.0/16'))).toBe(false);
  });

  it.each([
    ['fd00::/8', { ok: false, message: 'fd00::/8 is IPv6; the simulator uses IPv4 CIDRs' }],
    ['10.244.0.0', { ok: false, message: '"10.244.0.0" is not a CIDR; expected an address and prefix such as 10.244.0.0/16' }],
    ['010.1.0.0/16', { ok: false, message: '"010.1.0.0/16" is not a CIDR; expected an address and prefix such as 10.244.0.0/16' }],
    ['10.244.7.0/16', { ok: false, message: '10.244.7.0/16 has host bits set', suggestion: '10.244.0.0/16' }],
  ])('%s is refused', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });
});

describe('node addresses', () => {
  const scenario = (cluster: string, nodes: string) =>
    `apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  cluster: ${cluster}\n  nodes: ${nodes}\n`;

  it('are refused when every candidate range is taken by the pod and service CIDRs', () => {
    const result = loadScenarioText(scenario('{ podCIDR: 128.0.0.0/1, serviceCIDR: 10.0.0.0/12, nodeCIDRMaskSize: 24 }', '[{ name: a }]'), 'x.yaml');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'x.yaml:6:11: spec.nodes[0]: no address range free of the pod and service CIDRs (tried 172.18.0.0/16, 192.168.56.0/24, 10.0.0.0/16); give this node an address',
    ]);
  });

  it('may all be written by hand even when no range is free', () => {
    const result = loadScenarioText(
      scenario('{ podCIDR: 128.0.0.0/1, serviceCIDR: 10.0.0.0/12 }', '[{ name: a, address: 10.200.0.10 }]'),
      'x.yaml',
    );
    expect(result.ok && result.scenario.spec.nodes[0].address).toBe('10.200.0.10');
  });
});

describe('bootstrap tokens and references', () => {
  const base = 'apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  nodes:\n    - { name: worker-1, auth: { method: client-certificate, token: abcdef.0123456789abcdef } }\n';

  it('refuse a token on a node that authenticates with a certificate, and unknown nodes in revoke/delete', () => {
    const text = `${base}  timeline:\n    - { at: 1m, action: revoke-bootstrap-token, node: worker-2 }\n    - { at: 2m, action: delete, target: node/wroker-1 }\n`;
    const result = loadScenarioText(text, 'x.yaml');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'x.yaml:6:68: spec.nodes[0].auth.token: a token is only used with method bootstrap-token, not client-certificate',
      'x.yaml:8:55: spec.timeline[0].node: unknown node "worker-2" (did you mean "worker-1"?)',
      'x.yaml:9:41: spec.timeline[1].target: unknown node "wroker-1" (did you mean "worker-1"?)',
    ]);
  });
});
