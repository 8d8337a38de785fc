import { EPOCH_MS } from '../../sim/clock.js';
import type { Process } from '../../sim/simulation.js';
import { createCsr, generateKeyPair, parseCertificate } from '../../pki/index.js';
import { base64Encode, utf8Encode } from '../../pki/encoding.js';
import { recordKubeletStep, type KubeletContext } from './context.js';
import { csrUsages, recordExit, waitForIssuedCertificate, writeCredentials } from './bootstrap.js';

/**
 * The kubelet's client certificate manager (client-go/util/certificate/certificate_manager.go):
 * it rotates the certificate at a jittered 70-90% of its lifetime with a fresh key and a CSR
 * (generateName csr-) sent with the current certificate, which csrapproving approves as
 * selfnodeclient. When the certificate has already expired, the kubelet exits so that it restarts
 * through its bootstrap kubeconfig.
 */
const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

export function rotationDeadlineMs(ctx: KubeletContext, pem: string): number {
  const cert = parseCertificate(pem);
  const total = cert.notAfterMs - cert.notBeforeMs;
  // Jitter(0.7*total, 0.2/0.7): uniformly between 70% and 90% of the lifetime.
  const offset = Math.floor(total * 0.7 + (total * 0.2 * ctx.prng.intInclusive(0, 1_000_000)) / 1_000_000);
  return cert.notBeforeMs + offset - EPOCH_MS;
}

export function isExpired(ctx: KubeletContext, pem: string): boolean {
  return parseCertificate(pem).notAfterMs <= EPOCH_MS + ctx.sim.nowMs;
}

/**
 * After a failed rotation the manager retries as client-go's certificate manager does:
 * wait.ExponentialBackoff{Duration: 2s, Factor: 2, Jitter: 0.1, Steps: 5} (five attempts, 2, 4, 8
 * and 16 s apart), then wait.PollInfinite every 32 s.
 */
function retryDelayMs(ctx: KubeletContext, failures: number): number {
  return failures <= 4 ? ctx.prng.jitterMs(2_000 * 2 ** (failures - 1), { numerator: 1, denominator: 10 }) : 32_000;
}

/** Schedules the next rotation; returns a function that re-reads the certificate (after it changed). */
export function startCertificateManager(ctx: KubeletContext, onExpired: () => void): () => void {
  let generation = 0;
  let failures = 0;
  const arm = (failed = false): void => {
    const mine = ++generation;
    failures = failed ? failures + 1 : 0;
    const pem = ctx.host.disk.clientCertificatePem;
    if (!pem) return;
    // The kubelet's transport always presents the certificate currently on disk.
    ctx.client.credentials = { clientCertificate: pem };
    if (isExpired(ctx, pem)) {
      // The transport's check runs every second; give the in-flight requests their 401s first.
      ctx.sim.schedule(ctx.actor, 1_000, () => {
        if (mine !== generation) return;
        recordExit(
          ctx,
          'the currently active client certificate has expired',
          'The kubelet cannot renew a certificate with an expired one ("The currently active client certificate has expired and the server is responsive, exiting."). It exits; systemd restarts it, and at start-up it falls back to bootstrap-kubelet.conf because kubelet.conf no longer holds a valid certificate.',
        );
        onExpired();
      });
      return;
    }
    if (failures > 0) {
      ctx.sim.schedule(ctx.actor, retryDelayMs(ctx, failures), () => {
        if (mine === generation) ctx.sim.spawn(ctx.actor, rotate(ctx, arm));
      });
      return;
    }
    const deadline = rotationDeadlineMs(ctx, pem);
    const cert = parseCertificate(pem);
    recordKubeletStep(ctx, {
      stage: 'authentication',
      kind: 'decision',
      summary: `certificate expiration is ${ctx.sim.clock.rfc3339(cert.notAfterMs - EPOCH_MS)}, rotation deadline is ${ctx.sim.clock.rfc3339(deadline)}`,
      explanation: `The kubelet's certificate manager renews its client certificate at a random point between 70% and 90% of its lifetime, well before it expires, so the API server never sees this node with an expired identity. This certificate is valid for ${formatLifetime(cert.notAfterMs - cert.notBeforeMs)} from notBefore to notAfter: the controller manager's --cluster-signing-duration, with notBefore backdated 5 minutes for clock skew.`,
    });
    ctx.sim.schedule(ctx.actor, Math.max(0, deadline - ctx.sim.nowMs), () => {
      if (mine === generation) ctx.sim.spawn(ctx.actor, rotate(ctx, arm));
    });
  };
  arm();
  return () => arm();
}

function formatLifetime(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 !== 0) return `${minutes}m`;
  return `${minutes / 60}h`;
}

function* rotate(ctx: KubeletContext, rearm: (failed?: boolean) => void): Process<void> {
  const node = ctx.host.name;
  const key = generateKeyPair(ctx.prng.bytes(32));
  const usages = csrUsages(ctx.config.minorVersion);
  const body = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: 'csr-' },
    spec: {
      request: base64Encode(utf8Encode(createCsr({ key, commonName: `system:node:${node}`, organizations: ['system:nodes'] }))),
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages,
    },
  };
  const created = yield* ctx.client.create(CSR_PATH, body, {
    why: `The kubelet's client certificate has passed its rotation deadline (a random point between 70% and 90% of its lifetime), so it asks for a new one: a fresh ECDSA key and a CSR sent with its current certificate, as system:node:${node}. The approver checks selfnodeclient for such renewals.`,
    stage: 'authentication',
  });
  if (created.status !== 201) {
    rearm(true);
    return;
  }
  const name = (created.body as { metadata: { name: string } }).metadata.name;
  const pem = yield* waitForIssuedCertificate(ctx, name);
  if (!pem) {
    rearm(true);
    return;
  }
  ctx.host.disk.clientCertificatePem = pem;
  ctx.host.disk.clientKey = key;
  writeCredentials(ctx, pem);
  ctx.client.credentials = { clientCertificate: pem };
  rearm();
}
