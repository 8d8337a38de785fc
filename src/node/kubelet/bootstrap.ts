import type { KubeObject } from '../../api/meta.js';
import { ratio } from '../../sim/prng.js';
import { sleep, type Process } from '../../sim/simulation.js';
import { createCsr, csrObjectName, generateKeyPair, type KeyPair } from '../../pki/index.js';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../pki/encoding.js';
import { recordKubeletStep, type KubeletContext } from './context.js';

/**
 * The kubelet's TLS bootstrap (pkg/kubelet/certificate/bootstrap/bootstrap.go and
 * client-go/util/certificate/csr/csr.go): with only a bootstrap token, it makes a key, asks for a
 * client certificate with a CSR, waits until the control plane approves and signs it, then
 * switches to the certificate. Returns false when the kubelet process must exit (and be
 * restarted by systemd), as the real one does on an error.
 */
const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
const CERT_DIR = '/var/lib/kubelet/pki';

type Obj = Record<string, any>;

export function csrUsages(minorVersion: number): string[] {
  // Since 1.27 (kubernetes#111660) ECDSA keys no longer ask for "key encipherment".
  return minorVersion >= 27 ? ['digital signature', 'client auth'] : ['digital signature', 'key encipherment', 'client auth'];
}

/** waitForServer: GET /healthz every 2s (jitter 0.2) for up to a minute before asking anything. */
function* waitForServer(ctx: KubeletContext): Process<void> {
  const deadline = ctx.sim.nowMs + 60_000;
  let first = true;
  while (ctx.sim.nowMs < deadline) {
    const res = yield* ctx.client.get('/healthz', {
      why: first
        ? 'Before asking for a certificate, the kubelet checks that kube-apiserver answers at all, using its bootstrap kubeconfig (bootstrap-kubelet.conf).'
        : 'The kubelet polls /healthz every 2s for up to a minute until kube-apiserver answers.',
      stage: 'authentication',
      heartbeat: !first,
    });
    first = false;
    if (res.status === 200) return;
    yield* sleep(ctx.sim, ctx.actor, ctx.prng.jitterMs(2000, ratio(1, 5)));
  }
}

export function* tlsBootstrap(ctx: KubeletContext, token: string): Process<boolean> {
  const node = ctx.host.name;
  ctx.client.credentials = { bearerToken: token };
  yield* waitForServer(ctx);
  // The key is saved as kubelet-client.key.tmp first, so a restarted kubelet reuses it and its CSR.
  const key: KeyPair = ctx.host.disk.bootstrapKey ?? generateKeyPair(ctx.prng.bytes(32));
  ctx.host.disk.bootstrapKey = key;
  const commonName = `system:node:${node}`;
  const organizations = ['system:nodes'];
  const usages = csrUsages(ctx.config.minorVersion);
  const name = csrObjectName(key.publicKeySpkiDer, commonName, organizations, usages);
  const request = createCsr({ key, commonName, organizations });
  const body = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: base64Encode(utf8Encode(request)), signerName: SIGNER, usages },
  };
  const created = yield* ctx.client.create(CSR_PATH, body, {
    why: `The kubelet has no client certificate yet, so it authenticates with its bootstrap token and asks for one: a CSR for CN=${commonName}, O=system:nodes with a fresh ECDSA P-256 key. The name is a digest of the key and subject, so a retry finds the same CSR.`,
    stage: 'authentication',
  });
  if (created.status === 409) {
    const existing = yield* ctx.client.get(`${CSR_PATH}/${name}`, {
      why: 'A CSR with this name already exists (an earlier attempt with the same key), so the kubelet fetches it and reuses it if it asks for the same thing.',
      stage: 'authentication',
    });
    if (existing.status !== 200) return false;
  } else if (created.status !== 201) {
    recordExit(ctx, `cannot create certificate signing request: ${statusMessage(created.body)}`);
    return false;
  }
  const certificate = yield* waitForIssuedCertificate(ctx, name);
  if (!certificate) return false;
  ctx.host.disk.clientCertificatePem = certificate;
  ctx.host.disk.clientKey = key;
  ctx.host.disk.bootstrapKey = undefined;
  writeCredentials(ctx, certificate);
  ctx.client.credentials = { clientCertificate: certificate };
  return true;
}

function statusMessage(body: unknown): string {
  return (body as { message?: string } | undefined)?.message ?? 'no response';
}

/** Lists then watches the one CSR (fieldSelector=metadata.name) until Approved and issued. */
export function* waitForIssuedCertificate(ctx: KubeletContext, name: string): Process<string | undefined> {
  const selector = `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;
  const list = yield* ctx.client.get(`${CSR_PATH}?${selector}`, {
    why: `The kubelet lists its CSR ${name} to see whether it was already approved and signed before it starts watching.`,
    stage: 'authentication',
  });
  if (list.status !== 200) return undefined;
  const issued = (csr: Obj | undefined): string | undefined => {
    const approved = (csr?.status?.conditions ?? []).some((c: Obj) => c.type === 'Approved' && c.status === 'True');
    return approved && csr?.status?.certificate ? utf8Decode(base64Decode(csr.status.certificate)) : undefined;
  };
  const already = issued((list.body as Obj).items?.[0]);
  if (already) return already;
  const rv = (list.body as Obj).metadata.resourceVersion;
  return (yield {
    start: (resume) => {
      let done = false;
      const finish = (value: string | undefined): void => {
        if (done) return;
        done = true;
        watch.cancel();
        resume(value);
      };
      const watch = ctx.client.watch(
        `${CSR_PATH}?${selector}&watch=true&resourceVersion=${rv}`,
        { why: `The kubelet watches its CSR ${name}: approval (the csrapproving controller) and signing (the csrsigning controller) are two separate writes, and it needs both.`, stage: 'authentication' },
        {
          onOpen: (res) => {
            if (res.status !== 200) finish(undefined);
          },
          onEvent: (type, object) => {
            const csr = object as Obj;
            if ((csr.status?.conditions ?? []).some((c: Obj) => (c.type === 'Denied' || c.type === 'Failed') && c.status === 'True')) {
              recordExit(ctx, `certificate signing request ${name} was denied or failed`);
              finish(undefined);
            } else if (type === 'DELETED') finish(undefined);
            else {
              const pem = issued(csr);
              if (pem) finish(pem);
            }
          },
          onClose: () => finish(undefined),
        },
      );
    },
  }) as string | undefined;
}

export function writeCredentials(ctx: KubeletContext, certificate: string): void {
  const stamp = ctx.sim.clock.rfc3339().replace(/[T:]/g, '-').replace(/Z$/, '');
  const file = `${CERT_DIR}/kubelet-client-${stamp}.pem`;
  ctx.host.disk.files.set(file, certificate);
  ctx.host.disk.files.set(`${CERT_DIR}/kubelet-client-current.pem`, `-> ${file}`);
  ctx.host.disk.files.set('/etc/kubernetes/kubelet.conf', kubeconfig(`${CERT_DIR}/kubelet-client-current.pem`));
  recordKubeletStep(ctx, {
    stage: 'authentication',
    summary: `kubelet saves its client certificate to ${CERT_DIR}/kubelet-client-current.pem`,
    explanation: `The certificate is signed by the cluster CA for CN=system:node:${ctx.host.name}, O=system:nodes. The kubelet writes it with its key, points kubelet-client-current.pem at it and rewrites /etc/kubernetes/kubelet.conf; from now on it authenticates with this certificate, not the bootstrap token.`,
    detail: { file, kubeconfig: ctx.host.disk.files.get('/etc/kubernetes/kubelet.conf'), certificate },
  });
}

function kubeconfig(certPath: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    certificate-authority: /etc/kubernetes/pki/ca.crt',
    '    server: https://172.18.0.2:6443',
    '  name: default-cluster',
    'contexts:',
    '- context:',
    '    cluster: default-cluster',
    '    namespace: default',
    '    user: default-auth',
    '  name: default-context',
    'current-context: default-context',
    'users:',
    '- name: default-auth',
    '  user:',
    `    client-certificate: ${certPath}`,
    `    client-key: ${certPath}`,
    '',
  ].join('\n');
}

/** The step for the kubelet process exiting over its credentials; systemd restarts it. */
export function recordExit(ctx: KubeletContext, error: string, explanation?: string): void {
  recordKubeletStep(ctx, {
    stage: 'authentication',
    summary: `kubelet exits: ${error}`,
    explanation:
      explanation ??
      `The kubelet cannot go on without credentials and exits with "failed to run Kubelet: ${error}". systemd restarts it 10s later (kubeadm's kubelet.service has Restart=always, RestartSec=10).`,
  });
}

export type { KubeObject };
