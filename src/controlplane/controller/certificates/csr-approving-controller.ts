import type { Process } from '../../../sim/simulation.js';
import type { ParsedCsr } from '../../../pki/index.js';
import type { Controller, ControllerContext } from '../context.js';
import { CertificateController, type SyncError } from './certificate-controller.js';
import { CSR_PATH, approvalState, decodeRequest, isNodeClientCert, isSelfNodeClientCert, type CsrObject } from './csr.js';

/**
 * The csrapproving controller (pkg/controller/certificates/approver/sarapprove.go). It
 * auto-approves kubelet client certificate requests, but only after asking kube-apiserver, with
 * a SubjectAccessReview, whether the requester may: `create certificatesigningrequests/
 * selfnodeclient` for a node renewing its own certificate, `.../nodeclient` for a new node
 * (kubeadm grants that to the bootstrap token's group). It never denies: a request it will not
 * approve just stays pending for a human or another approver.
 */
interface Recognizer {
  readonly subresource: 'selfnodeclient' | 'nodeclient';
  readonly recognize: (csr: CsrObject, parsed: ParsedCsr) => boolean;
  readonly successMessage: string;
}

const RECOGNIZERS: readonly Recognizer[] = [
  { subresource: 'selfnodeclient', recognize: isSelfNodeClientCert, successMessage: 'Auto approving self kubelet client certificate after SubjectAccessReview.' },
  { subresource: 'nodeclient', recognize: isNodeClientCert, successMessage: 'Auto approving kubelet client certificate after SubjectAccessReview.' },
];

type Obj = Record<string, any>;

export class CsrApprovingController implements Controller {
  readonly name = 'csrapproving';
  private readonly base: CertificateController;

  constructor(private readonly ctx: ControllerContext) {
    this.base = new CertificateController(
      ctx,
      'The csrapproving controller lists and watches CertificateSigningRequests so it can auto-approve kubelet client certificate requests as they arrive.',
      (csr) => this.handle(csr),
    );
  }

  start(): void {
    this.base.start();
  }

  private *handle(csr: CsrObject): Process<SyncError | undefined> {
    const { approved, denied } = approvalState(csr);
    if (approved || denied) return undefined;
    const parsed = decodeRequest(csr);
    const tried: string[] = [];
    for (const recognizer of RECOGNIZERS) {
      if (!recognizer.recognize(csr, parsed)) continue;
      tried.push(recognizer.subresource);
      const allowed = yield* this.authorize(csr, recognizer);
      if (allowed === undefined) return { error: 'SubjectAccessReview failed' };
      if (allowed) return yield* this.approve(csr, parsed, recognizer);
    }
    if (tried.length === 0) return undefined;
    this.recordNotApproved(csr, tried);
    return { error: `recognized csr "${csr.metadata.name}" as [${tried.join(' ')}] but subject access review was not approved`, ignorable: true };
  }

  /** Asks kube-apiserver's authorizers (Node, RBAC) about the requester; undefined on failure. */
  private *authorize(csr: CsrObject, recognizer: Recognizer): Process<boolean | undefined> {
    const spec = csr.spec;
    const body = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: {
        user: spec.username,
        ...(spec.uid ? { uid: spec.uid } : {}),
        groups: spec.groups ?? [],
        ...(spec.extra ? { extra: spec.extra } : {}),
        resourceAttributes: { group: 'certificates.k8s.io', version: '*', resource: 'certificatesigningrequests', subresource: recognizer.subresource, verb: 'create' },
      },
    };
    const self = recognizer.subresource === 'selfnodeclient';
    const res = yield* this.ctx.client.create('/apis/authorization.k8s.io/v1/subjectaccessreviews', body, {
      why: `CSR ${csr.metadata.name} asks for a kubelet client certificate${self ? ' for the very node that sent it (a renewal)' : ''}. Before approving, the csrapproving controller asks kube-apiserver whether ${spec.username} (groups ${(spec.groups ?? []).join(', ')}) may "create certificatesigningrequests/${recognizer.subresource}"; the answer comes from RBAC, not from the controller.`,
      stage: 'authentication',
    });
    if (res.status !== 201) return undefined;
    return Boolean((res.body as Obj)?.status?.allowed);
  }

  private *approve(csr: CsrObject, parsed: ParsedCsr, recognizer: Recognizer): Process<SyncError | undefined> {
    const now = this.ctx.sim.clock.rfc3339();
    const condition = { type: 'Approved', status: 'True' as const, reason: 'AutoApproved', message: recognizer.successMessage, lastUpdateTime: now, lastTransitionTime: now };
    const body: CsrObject = { ...csr, status: { ...csr.status, conditions: [...(csr.status?.conditions ?? []), condition] } };
    this.ctx.sim.recorder.record({
      stage: 'authentication',
      from: this.ctx.client.name,
      to: this.ctx.client.name,
      kind: 'decision',
      summary: `approve CSR ${csr.metadata.name} (${recognizer.subresource})`,
      explanation: `The SubjectAccessReview allowed ${csr.spec.username} to create certificatesigningrequests/${recognizer.subresource}, and the request is a well-formed kubelet client request (CN=${parsed.commonName}, O=system:nodes, usages ${(csr.spec.usages ?? []).join(', ')}). So the controller adds the condition Approved=True, reason AutoApproved. Approval alone issues nothing: signing is the csrsigning controller's separate job.`,
      detail: { condition },
    });
    const res = yield* this.ctx.client.update(`${CSR_PATH}/${csr.metadata.name}/approval`, body, {
      why: `The csrapproving controller writes the Approved condition through the approval subresource, the only way to approve a CSR; kube-apiserver checks that it may approve requests for signer ${csr.spec.signerName}.`,
      stage: 'authentication',
    });
    return res.status === 200 ? undefined : { error: `error updating approval for csr: HTTP ${res.status}` };
  }

  /** Says once per CSR why it stays pending; later retries are quiet, as in the real controller's logs. */
  private recordNotApproved(csr: CsrObject, tried: readonly string[]): void {
    const name = csr.metadata.name ?? '';
    if (this.base.failureCount(name) > 0) return;
    this.ctx.sim.recorder.record({
      stage: 'authentication',
      from: this.ctx.client.name,
      to: this.ctx.client.name,
      kind: 'decision',
      summary: `leave CSR ${name} pending: SubjectAccessReview denied`,
      explanation: `The request looks like a kubelet client certificate (${tried.join(', ')}), but ${csr.spec.username} is not allowed to create certificatesigningrequests/${tried.join(' or ')}. The csrapproving controller never denies a CSR: it leaves it pending and retries with backoff (next in ${this.base.nextRetryDelayMs(name)}ms), in case an RBAC binding appears. A human can still approve it with kubectl certificate approve.`,
    });
  }
}
