import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { EPOCH_MS } from '../sim/clock.js';
import { serialFromBytes, signCertificate } from '../pki/index.js';
import type { ClusterPki } from '../cluster/pki-setup.js';
import { systemClock } from '../cli/wall-clock.js';

/**
 * The certificates a real client needs to talk to the served cluster, signed by the cluster's
 * own CA (CN=kubernetes): kube-apiserver's serving certificate (apiserver.crt, with the SANs
 * kubeadm gives it) and the admin client certificate behind admin.conf. Their keys are fresh
 * and random: they are never part of the transcript, so determinism does not need them.
 */
export interface ServeCredentials {
  /** PEM of the cluster CA (certificate-authority-data in the kubeconfig). */
  readonly caPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  readonly adminCertPem: string;
  readonly adminKeyPem: string;
  /** The admin's identity as its certificate says: CN is the user, O the groups. */
  readonly adminUser: string;
  readonly adminGroups: readonly string[];
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * admin.conf's group: kubeadm 1.29 moved `kubernetes-admin` from system:masters to
 * kubeadm:cluster-admins (bound to cluster-admin by RBAC), keeping system:masters for
 * super-admin.conf only.
 */
export function adminGroupFor(kubernetesVersion: string): string {
  const minor = Number(/^v?1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? '0');
  return minor >= 29 ? 'kubeadm:cluster-admins' : 'system:masters';
}

/** kubeadm's apiserver.crt SANs (pkg/util/pkiutil GetAPIServerAltNames) for a server on 127.0.0.1. */
export const SERVING_DNS_NAMES = ['control-plane', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost'];

function freshKey(): { spkiDer: Uint8Array; pem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    spkiDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * Issues both certificates. Validity covers the wall clock (what kubectl checks the server's
 * certificate against) and the virtual clock (what the cluster's authenticator checks the
 * client certificate against), backdated 5 minutes as kubeadm does.
 */
export function issueServeCredentials(pki: ClusterPki, options: { kubernetesVersion: string; serviceIP?: string; wallNowMs?: number }): ServeCredentials {
  const wall = options.wallNowMs ?? systemClock.now();
  const notBeforeMs = Math.min(wall, EPOCH_MS) - 5 * 60_000;
  const notAfterMs = Math.max(wall, EPOCH_MS) + 365 * DAY_MS;
  const ca = { certificate: pki.ca, key: pki.caKey };
  const server = freshKey();
  const serverCert = signCertificate({
    ca,
    publicKeySpkiDer: server.spkiDer,
    subject: { commonName: 'kube-apiserver', organizations: [] },
    notBeforeMs,
    notAfterMs,
    serialNumber: serialFromBytes(randomBytes(16)),
    usages: ['digital signature', 'key encipherment', 'server auth'],
    dnsNames: SERVING_DNS_NAMES,
    ipAddresses: ['127.0.0.1', ...(options.serviceIP ? [options.serviceIP] : [])],
  });
  const admin = freshKey();
  const adminGroups = [adminGroupFor(options.kubernetesVersion)];
  const adminCert = signCertificate({
    ca,
    publicKeySpkiDer: admin.spkiDer,
    subject: { commonName: 'kubernetes-admin', organizations: adminGroups },
    notBeforeMs,
    notAfterMs,
    serialNumber: serialFromBytes(randomBytes(16)),
    usages: ['digital signature', 'key encipherment', 'client auth'],
  });
  return {
    caPem: pki.ca.pem,
    serverCertPem: serverCert.pem,
    serverKeyPem: server.pem,
    adminCertPem: adminCert.pem,
    adminKeyPem: admin.pem,
    adminUser: 'kubernetes-admin',
    adminGroups,
  };
}
