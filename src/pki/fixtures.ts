/**
 * A small, fully deterministic PKI (cluster CA, one kubelet key, its CSR and client certificate)
 * for tests and demos, built exactly as a kubeadm cluster's TLS bootstrap would build it.
 */
import { Prng } from '../sim/prng.js';
import { EPOCH_MS } from '../sim/clock.js';
import { createSelfSignedCa, serialFromBytes, signCertificate, type Certificate } from './certificate.js';
import { createCsr, parseCsr, type ParsedCsr } from './csr.js';
import { generateKeyPair, type KeyPair } from './keys.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** kubeadm's CA lifetime (10 years) and the signer's default (8760h). */
export const CA_LIFETIME_MS = 3650 * DAY_MS;
export const CLIENT_LIFETIME_MS = 365 * DAY_MS;
/** The csrsigning controller backdates NotBefore by 5 minutes. */
export const BACKDATE_MS = 5 * 60 * 1000;
export const KUBELET_CLIENT_USAGES = ['digital signature', 'client auth'] as const;

export interface SamplePki {
  readonly caKey: KeyPair;
  readonly ca: Certificate;
  readonly nodeKey: KeyPair;
  readonly csrPem: string;
  readonly csr: ParsedCsr;
  readonly clientCert: Certificate;
  /** When the client certificate was signed (absolute epoch ms). */
  readonly signedAtMs: number;
}

/** CA at EPOCH_MS; `worker-1` bootstraps one minute later. */
export function samplePki(seed = 42, nodeName = 'worker-1'): SamplePki {
  const prng = new Prng(seed);
  const caKey = generateKeyPair(prng.fork('kubeadm/ca').bytes(32));
  const ca = createSelfSignedCa({
    key: caKey,
    commonName: 'kubernetes',
    notBeforeMs: EPOCH_MS,
    notAfterMs: EPOCH_MS + CA_LIFETIME_MS,
    // kubeadm draws the CA serial uniformly from [1, 2^63 - 1).
    serialNumber: (serialFromBytes(prng.fork('kubeadm/ca-serial').bytes(8)) % (2n ** 63n - 2n)) + 1n,
  });
  const nodeKey = generateKeyPair(prng.fork(`kubelet/${nodeName}`).bytes(32));
  const csrPem = createCsr({ key: nodeKey, commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] });
  const csr = parseCsr(csrPem);
  const signedAtMs = EPOCH_MS + 60_000;
  const clientCert = signCertificate({
    ca: { certificate: ca, key: caKey },
    csr,
    notBeforeMs: signedAtMs - BACKDATE_MS,
    notAfterMs: signedAtMs + CLIENT_LIFETIME_MS - BACKDATE_MS,
    serialNumber: serialFromBytes(prng.fork('csrsigning/serial').bytes(16)),
    usages: [...KUBELET_CLIENT_USAGES],
  });
  return { caKey, ca, nodeKey, csrPem, csr, clientCert, signedAtMs };
}
