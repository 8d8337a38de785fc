import { stringify } from 'yaml';
import type { ServeCredentials } from './credentials.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * admin.conf as kubeadm writes it (cluster `kubernetes`, user `kubernetes-admin`, context
 * `kubernetes-admin@kubernetes`), pointing at the served API on 127.0.0.1.
 */
export function adminKubeconfig(server: string, credentials: ServeCredentials): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubernetes', cluster: { server, 'certificate-authority-data': b64(credentials.caPem) } }],
    users: [
      {
        name: credentials.adminUser,
        user: { 'client-certificate-data': b64(credentials.adminCertPem), 'client-key-data': b64(credentials.adminKeyPem) },
      },
    ],
    contexts: [{ name: `${credentials.adminUser}@kubernetes`, context: { cluster: 'kubernetes', user: credentials.adminUser } }],
    'current-context': `${credentials.adminUser}@kubernetes`,
    preferences: {},
  });
}
