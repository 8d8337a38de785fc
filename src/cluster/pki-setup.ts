import { EPOCH_MS } from '../sim/clock.js';
import type { Prng } from '../sim/prng.js';
import { createSelfSignedCa, generateKeyPair, serialFromBytes, signCertificate, signServiceAccountToken, type Certificate, type KeyPair } from '../pki/index.js';

/**
 * What `kubeadm init` leaves behind: the cluster CA (ca.crt/ca.key), the service-account signing
 * key (sa.key/sa.pub), and client certificates for the control-plane components. Derived from
 * the seed, so a replay issues byte-identical certificates.
 */
export interface ClusterPki {
  readonly ca: Certificate;
  readonly caKey: KeyPair;
  readonly serviceAccountKey: KeyPair;
  /** A client certificate for `commonName` in `organizations`, signed by the CA (1 year). */
  clientCertificate(commonName: string, organizations: string[]): string;
  /** A service-account token for kube-system/<name> with the given uid. */
  serviceAccountToken(namespace: string, name: string, uid: string): string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function createClusterPki(prng: Prng): ClusterPki {
  const caKey = generateKeyPair(prng.bytes(32));
  // kubeadm's CA is valid from "now" for ten years; virtual now is t=0.
  const ca = createSelfSignedCa({
    key: caKey,
    commonName: 'kubernetes',
    notBeforeMs: EPOCH_MS - 5 * 60_000,
    notAfterMs: EPOCH_MS + 10 * YEAR_MS,
    serialNumber: serialFromBytes(prng.bytes(8)),
  });
  const serviceAccountKey = generateKeyPair(prng.bytes(32));
  return {
    ca,
    caKey,
    serviceAccountKey,
    clientCertificate(commonName, organizations) {
      const key = generateKeyPair(prng.bytes(32));
      return signCertificate({
        ca: { certificate: ca, key: caKey },
        publicKeySpkiDer: key.publicKeySpkiDer,
        subject: { commonName, organizations },
        notBeforeMs: EPOCH_MS - 5 * 60_000,
        notAfterMs: EPOCH_MS + YEAR_MS,
        serialNumber: serialFromBytes(prng.bytes(16)),
        usages: ['digital signature', 'key encipherment', 'client auth'],
      }).pem;
    },
    serviceAccountToken(namespace, name, uid) {
      return signServiceAccountToken({
        key: serviceAccountKey,
        issuer: 'https://kubernetes.default.svc.cluster.local',
        namespace,
        serviceAccountName: name,
        serviceAccountUid: uid,
        issuedAtMs: EPOCH_MS,
        expiresAtMs: EPOCH_MS + YEAR_MS,
        audiences: ['https://kubernetes.default.svc.cluster.local'],
      });
    },
  };
}
