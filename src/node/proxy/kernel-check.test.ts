/**
 * Checks the rendered rules against the real tools inside a throwaway network namespace
 * (`unshare -n`, needs root): iptables-restore must accept them, and after replaying what
 * kube-proxy runs, iptables-save and `nft list` must print exactly what we render. Skipped,
 * with a message, where the tools or namespaces are unavailable.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderIptables } from './iptables.js';
import { renderNftables } from './nftables.js';
import { NODE_1, readyEndpoint, sampleServices } from './testdata.js';
import type { ServicePortModel } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'kube-learn-proxy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(script: string, input?: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { input, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

function usable(binary: string): string | null {
  const probe = sh(`${binary} -t nat -L -n >/dev/null`);
  return probe.ok ? null : `${binary} in a new network namespace: ${probe.err.trim() || 'failed'}`;
}

const BACKENDS = [
  { name: 'nft', binary: 'iptables-nft' },
  { name: 'legacy', binary: 'iptables-legacy' },
] as const;
const reasons = new Map(BACKENDS.map((b) => [b.name, usable(b.binary)]));
const nftReason = sh('nft list tables').ok ? null : 'nft in a new network namespace failed';
for (const [name, reason] of [...reasons, ['nftables', nftReason] as const]) {
  if (reason) console.log(`skipping ${name} kernel checks: ${reason}`);
}

const services: ServicePortModel[] = [
  ...sampleServices(),
  { ...sampleServices()[4], name: 'local-web', clusterIP: '10.96.120.16', nodePort: 30082, externalTrafficPolicy: 'Local' },
  { ...sampleServices()[4], name: 'empty', clusterIP: '10.96.120.17', nodePort: 30083, endpoints: [] },
  {
    ...sampleServices()[4], name: 'local-only', clusterIP: '10.96.120.18', nodePort: undefined, internalTrafficPolicy: 'Local',
    endpoints: [readyEndpoint('10.244.2.3', 8080, 'node-2')],
  },
];

const stripComments = (text: string): string => text.split('\n').filter((l) => !l.startsWith('#')).join('\n');

describe.each(BACKENDS)('iptables ($name backend)', ({ name, binary }) => {
  const r = renderIptables(services, { ...NODE_1, iptablesBackend: name });

  it.skipIf(reasons.get(name) !== null)('accepts the rendered iptables-save text (iptables-restore --test)', () => {
    const result = sh(`${binary}-restore --test`, r.save);
    expect(result.err).toBe('');
    expect(result.ok).toBe(true);
  });

  it.skipIf(reasons.get(name) !== null)('prints exactly our save text after replaying kube-proxy\'s commands', () => {
    const file = join(dir, `restore-${name}.txt`);
    writeFileSync(file, r.restore);
    const commands = r.ensureCommands.map((c) => c.replace(/^iptables /, `${binary} `));
    const result = sh([...commands, `${binary}-restore --noflush --counters < ${file}`, `${binary}-save`].join('\n'));
    expect(result.err).toBe('');
    expect(stripComments(result.out)).toBe(r.save);
  });
});

describe('nftables', () => {
  const r = renderNftables(services, { ...NODE_1, serviceCIDR: '10.96.0.0/12' });

  it.skipIf(nftReason !== null)('loads the transaction and lists exactly our ruleset', () => {
    const file = join(dir, 'kube-proxy.nft');
    writeFileSync(file, r.transaction);
    const result = sh(`nft -f ${file} && nft list table ip kube-proxy`);
    expect(result.err).toBe('');
    expect(result.out).toBe(r.ruleset);
  });
});
