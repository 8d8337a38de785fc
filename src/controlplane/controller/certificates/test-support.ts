import type { Attributes, AuthorizationResult } from '../../../api/meta.js';
import { Prng } from '../../../sim/prng.js';
import { createCsr, generateKeyPair } from '../../../pki/index.js';
import { base64Encode, utf8Encode } from '../../../pki/encoding.js';
import type { Simulation } from '../../../sim/simulation.js';
import type { ApiServer } from '../../apiserver/apiserver.js';
import type { RestClient } from '../../client/rest-client.js';
import type { Authorizer } from '../../apiserver/authorization/index.js';
import { CSR_PATH, KUBELET_CLIENT_SIGNER, type CsrObject } from './csr.js';

/**
 * Test helpers for the certificate controllers: a CSR created through the API the way a kubelet
 * makes it, and an authorizer that answers the approver's SubjectAccessReviews as kubeadm's
 * bindings would (nodeclient for bootstrap tokens, selfnodeclient for nodes).
 */
/** The parts of cluster/testing.ts's TestApi these helpers use (kept structural: controlplane does not import cluster). */
export interface TestApiLike {
  readonly sim: Simulation;
  readonly apiserver: ApiServer;
  client(name: string, user: string, groups?: string[], host?: string, node?: string): RestClient;
}

export const BOOTSTRAP_USER = 'system:bootstrap:abcdef';
export const BOOTSTRAP_GROUPS = ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token'];

export function csrAuthorizer(options: { nodeclientGroup?: string } = {}): Authorizer {
  const group = options.nodeclientGroup ?? 'system:bootstrappers';
  return {
    name: 'TestCsrAuthorizer',
    authorize(attrs: Attributes): AuthorizationResult {
      if (attrs.resource === 'certificatesigningrequests' && (attrs.subresource === 'nodeclient' || attrs.subresource === 'selfnodeclient')) {
        const needed = attrs.subresource === 'nodeclient' ? group : 'system:nodes';
        return attrs.user.groups.includes(needed)
          ? { decision: 'allow', reason: `RBAC: allowed by test binding for group ${needed}`, authorizer: 'RBAC' }
          : { decision: 'no-opinion', reason: 'RBAC: no binding grants this', authorizer: 'RBAC' };
      }
      return { decision: 'allow', reason: 'allowed by the test harness', authorizer: 'AlwaysAllow' };
    },
  };
}

export interface CsrRequestOptions {
  readonly node?: string;
  readonly commonName?: string;
  readonly organizations?: string[];
  readonly usages?: string[];
  readonly expirationSeconds?: number;
  readonly user?: string;
  readonly groups?: string[];
}

/** POSTs a kubelet-style CSR as the bootstrap token user (or `options.user`). */
export function submitCsr(api: TestApiLike, name: string, options: CsrRequestOptions = {}): void {
  const node = options.node ?? 'worker-1';
  const key = generateKeyPair(new Prng(name.length * 7919 + node.length).fork(name).bytes(32));
  const pem = createCsr({ key, commonName: options.commonName ?? `system:node:${node}`, organizations: options.organizations ?? ['system:nodes'] });
  const client = api.client(`kubelet/${node}`, options.user ?? BOOTSTRAP_USER, options.groups ?? BOOTSTRAP_GROUPS, node, node);
  const body = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: base64Encode(utf8Encode(pem)),
      signerName: KUBELET_CLIENT_SIGNER,
      usages: options.usages ?? ['digital signature', 'client auth'],
      ...(options.expirationSeconds !== undefined ? { expirationSeconds: options.expirationSeconds } : {}),
    },
  };
  api.sim.spawn(client.actor, (function* () {
    yield* client.create(CSR_PATH, body, { why: 'test: the kubelet asks for a client certificate', stage: 'authentication' });
  })());
}

/** Approves a CSR the way `kubectl certificate approve` does (PUT .../approval). */
export function approveByHand(api: TestApiLike, name: string): void {
  const admin = api.client('kubectl', 'kubernetes-admin', ['system:masters']);
  api.sim.spawn(admin.actor, (function* () {
    const got = yield* admin.get(`${CSR_PATH}/${name}`, { why: 'test: fetch the CSR', stage: 'authentication' });
    const csr = got.body as CsrObject;
    const condition = { type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' };
    const body = { ...csr, status: { ...csr.status, conditions: [...(csr.status?.conditions ?? []), condition] } };
    yield* admin.update(`${CSR_PATH}/${name}/approval`, body, { why: 'test: an administrator approves the CSR', stage: 'authentication' });
  })());
}

export function storedCsr(api: TestApiLike, name: string): CsrObject {
  return api.apiserver.registry.get(api.apiserver.findResource('certificates.k8s.io', 'certificatesigningrequests')!, undefined, name) as CsrObject;
}
