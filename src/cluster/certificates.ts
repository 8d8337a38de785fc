import { EPOCH_MS } from '../sim/clock.js';
import { parseCertificate, serialFromBytes, signCertificate } from '../pki/index.js';
import type { Cluster } from './cluster.js';
import type { WorkerNode } from './worker-node.js';

/**
 * The timeline's `expire-certificate`: the node's client certificate on disk is replaced by the
 * same certificate with NotAfter = now, as if its year had run out.
 */
export function expireClientCertificate(cluster: Cluster, node: WorkerNode): void {
  const disk = node.host.disk;
  if (!disk.clientCertificatePem || !disk.clientKey) return;
  const current = parseCertificate(disk.clientCertificatePem);
  const now = EPOCH_MS + cluster.sim.nowMs;
  disk.clientCertificatePem = signCertificate({
    ca: { certificate: cluster.pki.ca, key: cluster.pki.caKey },
    publicKeySpkiDer: disk.clientKey.publicKeySpkiDer,
    subject: { commonName: current.subject.commonName, organizations: current.subject.organizations },
    notBeforeMs: Math.min(current.notBeforeMs, now - 60_000),
    notAfterMs: now,
    serialNumber: serialFromBytes(cluster.sim.prng.fork(`expire/${node.spec.name}/${now}`).bytes(16)),
    usages: ['digital signature', 'client auth'],
  }).pem;
  node.kubelet?.certificateChanged();
}
