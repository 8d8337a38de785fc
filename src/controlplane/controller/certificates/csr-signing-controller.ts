import { EPOCH_MS, formatVirtualTime } from '../../../sim/clock.js';
import type { Process } from '../../../sim/simulation.js';
import { serialFromBytes, signCertificate, type Certificate, type KeyPair } from '../../../pki/index.js';
import { base64Encode, utf8Encode } from '../../../pki/encoding.js';
import type { Controller, ControllerContext } from '../context.js';
import { CertificateController, type SyncError } from './certificate-controller.js';
import { CSR_PATH, KUBELET_CLIENT_SIGNER, approvalState, decodeRequest, hasTrueCondition, validateKubeletClientCsr, type CsrObject } from './csr.js';

/**
 * The csrsigning controller for the `kubernetes.io/kube-apiserver-client-kubelet` signer
 * (pkg/controller/certificates/signer/signer.go, "csrsigning-kubelet-client"): once a CSR is
 * Approved it signs the request with the cluster CA (--cluster-signing-cert-file/-key-file) and
 * writes the PEM into status.certificate. A request the signer must not sign gets a Failed
 * condition instead. Approving and signing are two controllers and two writes.
 */
export interface ClusterCa {
  readonly ca: Certificate;
  readonly caKey: KeyPair;
}

/** The signer backdates NotBefore 5 minutes against clock skew (signer.go `Backdate`). */
export const BACKDATE_MS = 5 * 60_000;
/** Certificates shorter than this are not shortened by the backdate (`Short`: 8h). */
const SHORT_MS = 8 * 3600_000;
/** The lower bound on a requested spec.expirationSeconds (twice the backdate). */
const MIN_DURATION_MS = 10 * 60_000;

export class CsrSigningController implements Controller {
  readonly name = 'csrsigning-kubelet-client';
  private readonly base: CertificateController;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly signer: ClusterCa,
  ) {
    this.base = new CertificateController(
      ctx,
      'The csrsigning controller lists and watches CertificateSigningRequests to sign the approved ones with the cluster CA.',
      (csr) => this.handle(csr),
    );
  }

  start(): void {
    this.base.start();
  }

  /** signer.duration: the cluster default, or a shorter spec.expirationSeconds (never under 10 minutes). */
  durationMs(expirationSeconds: number | undefined): number {
    const defaultMs = this.ctx.config.clusterSigningDurationMs;
    if (expirationSeconds === undefined) return defaultMs;
    return Math.max(MIN_DURATION_MS, Math.min(expirationSeconds * 1000, defaultMs));
  }

  private *handle(csr: CsrObject): Process<SyncError | undefined> {
    const { approved, denied } = approvalState(csr);
    if (!approved || denied || hasTrueCondition(csr, 'Failed')) return undefined;
    if (csr.spec.signerName !== KUBELET_CLIENT_SIGNER) return undefined;
    const parsed = decodeRequest(csr);
    const invalid = validateKubeletClientCsr(parsed, csr.spec.usages);
    if (invalid) return yield* this.fail(csr, invalid);
    const nowAbsMs = EPOCH_MS + this.ctx.sim.nowMs;
    const ttlMs = this.durationMs(csr.spec.expirationSeconds);
    const cert = signCertificate({
      ca: { certificate: this.signer.ca, key: this.signer.caKey },
      csr: parsed,
      notBeforeMs: nowAbsMs - BACKDATE_MS,
      notAfterMs: ttlMs < SHORT_MS ? nowAbsMs + ttlMs : nowAbsMs + ttlMs - BACKDATE_MS,
      serialNumber: serialFromBytes(this.ctx.prng.bytes(16)),
      usages: csr.spec.usages ?? [],
    });
    this.recordSigned(csr, cert, ttlMs);
    const body: CsrObject = { ...csr, status: { ...csr.status, certificate: base64Encode(utf8Encode(cert.pem)) } };
    const res = yield* this.ctx.client.update(`${CSR_PATH}/${csr.metadata.name}/status`, body, {
      why: `The csrsigning controller puts the signed certificate into status.certificate (PEM, base64 in JSON) through the status subresource. The kubelet watching CSR ${csr.metadata.name} sees Approved plus a certificate and switches from its bootstrap token to it.`,
      stage: 'authentication',
    });
    return res.status === 200 ? undefined : { error: `error updating signature for csr: HTTP ${res.status}` };
  }

  private *fail(csr: CsrObject, message: string): Process<SyncError | undefined> {
    const condition = { type: 'Failed', status: 'True' as const, reason: 'SignerValidationFailure', message, lastUpdateTime: this.ctx.sim.clock.rfc3339() };
    this.ctx.sim.recorder.record({
      stage: 'authentication',
      from: this.ctx.client.name,
      to: this.ctx.client.name,
      kind: 'decision',
      summary: `refuse to sign CSR ${csr.metadata.name}: ${message}`,
      explanation: `CSR ${csr.metadata.name} is approved, but it is not a valid request for ${KUBELET_CLIENT_SIGNER} (${message}). The signer will not issue it and marks it Failed with reason SignerValidationFailure, which ends the requester's wait.`,
      detail: { condition },
    });
    const body: CsrObject = { ...csr, status: { ...csr.status, conditions: [...(csr.status?.conditions ?? []), condition] } };
    const res = yield* this.ctx.client.update(`${CSR_PATH}/${csr.metadata.name}/status`, body, {
      why: `The csrsigning controller records why it will not sign: a Failed condition written through the status subresource.`,
      stage: 'authentication',
    });
    // A conflict means someone else changed the CSR; the next event brings it back anyway.
    return res.status === 200 || res.status === 409 ? undefined : { error: `error adding failure condition for csr: HTTP ${res.status}` };
  }

  private recordSigned(csr: CsrObject, cert: Certificate, ttlMs: number): void {
    const days = Math.round(ttlMs / 86_400_000);
    this.ctx.sim.recorder.record({
      stage: 'authentication',
      from: this.ctx.client.name,
      to: this.ctx.client.name,
      kind: 'decision',
      summary: `sign CSR ${csr.metadata.name}: ${cert.subjectText}, serial ${cert.serialHex}`,
      explanation: `CSR ${csr.metadata.name} is Approved, so the csrsigning controller signs it with the cluster CA (${cert.issuerText}): subject and key come from the request, usages ${(csr.spec.usages ?? []).join(', ')} become keyUsage/extKeyUsage, CA:FALSE. Validity starts 5 minutes before now (t=${formatVirtualTime(this.ctx.sim.nowMs)}) against clock skew and lasts ${days >= 1 ? `${days} days` : `${Math.round(ttlMs / 60_000)} minutes`} (--cluster-signing-duration${csr.spec.expirationSeconds !== undefined ? ', shortened by spec.expirationSeconds' : ''}).`,
      detail: { serial: cert.serialHex, subject: cert.subjectText, issuer: cert.issuerText, notBeforeMs: cert.notBeforeMs, notAfterMs: cert.notAfterMs, pem: cert.pem },
    });
  }
}
