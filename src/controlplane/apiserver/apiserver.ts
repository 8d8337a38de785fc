import type { Attributes, KubeObject, Status, UserInfo } from '../../api/meta.js';
import type { ApiRequest, ApiResponse, WatchHandlers, WatchHandle } from '../../api/request.js';
import type { Simulation } from '../../sim/simulation.js';
import { Store, CompactedError } from '../etcd/store.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { RESOURCES, apiVersionOf, findResource, type ResourceInfo } from './resources.js';
import { Registry, type Admit, type WriteResult } from './registry.js';
import { compileSelector } from './selectors.js';
import { WatchCache } from './watch-cache.js';
import { storeLookup } from './object-lookup.js';
import type { Authenticator, AuthnResult } from './authentication.js';
import { describe, stageOf, statusText } from './classify.js';
import * as errors from './status.js';
import { SCALABLE, subresourceWrite } from './subresources.js';
import { ServiceAllocator } from './service-allocator.js';
import { forbiddenStatus, type Authorizer, type ObjectLookup } from './authorization/index.js';
import type { AdmissionPlugin } from './admission/index.js';

/**
 * The simulated kube-apiserver: the only component that talks to the store. Every request goes
 * through authentication, authorization and admission, as in the real filter chain, and is
 * recorded as one step with its identity, outcome, store key and revision.
 */
export interface ApiServerOptions {
  readonly sim: Simulation;
  readonly store: Store<KubeObject>;
  readonly authn: Authenticator;
  readonly authorizer: Authorizer;
  readonly admission: readonly AdmissionPlugin[];
  /** --service-cluster-ip-range; kube-apiserver's own default is 10.0.0.0/24. */
  readonly serviceCIDR?: string;
}

interface Outcome extends Partial<Omit<WriteResult, 'body'>> {
  readonly status: number;
  readonly body?: unknown;
  readonly user?: UserInfo;
  readonly info?: RequestInfo;
  readonly why?: string;
}

export class ApiServer {
  readonly registry: Registry;
  readonly lookup: ObjectLookup;
  readonly services: ServiceAllocator;
  private readonly caches = new Map<string, WatchCache>();
  /** Set while a write is being handled, so the watch events it causes inherit its heartbeat flag. */
  currentRequest: ApiRequest | undefined;

  constructor(private readonly options: ApiServerOptions) {
    this.registry = new Registry(options.store, options.sim.prng.fork('kube-apiserver'));
    this.services = new ServiceAllocator(options.serviceCIDR ?? '10.0.0.0/24', options.sim.prng.fork('kube-apiserver/service-ips'));
    this.lookup = storeLookup(this.registry, options.store);
  }

  private get sim(): Simulation {
    return this.options.sim;
  }

  /** Handles one request synchronously and records it as a step. */
  handle(req: ApiRequest): ApiResponse {
    this.currentRequest = req;
    try {
      const outcome = this.process(req);
      const step = this.record(req, outcome);
      return { status: outcome.status, body: outcome.body, step };
    } finally {
      this.currentRequest = undefined;
    }
  }

  private process(req: ApiRequest): Outcome {
    const parsed = parseRequestInfo(req.method, req.path);
    if ('error' in parsed) return { status: 404, body: errors.status(404, 'NotFound', parsed.error) };
    const info = parsed;
    const authn = this.options.authn.authenticate(req.credentials);
    if (!authn.ok) return { status: 401, body: errors.unauthorized(), info, why: authn.why };
    const user = authn.user;
    const attrs = this.attributes(info, user);
    const decision = this.options.authorizer.authorize(attrs);
    if (decision.decision !== 'allow') {
      return { status: 403, body: forbiddenStatus(attrs, decision.reason), user, info, why: decision.reason || 'no authorizer allowed it' };
    }
    if (!info.resourceRequest) {
      if (!this.options.store.available && /^\/(healthz|readyz|livez)/.test(info.path)) {
        return { status: 500, body: '[-]etcd failed: reason withheld\nhealthz check failed', user, info, why: 'etcd has lost quorum' };
      }
      return { status: 200, body: 'ok', user, info, why: authn.detail };
    }
    if (!this.options.store.available && (info.verb === 'get' || info.verb === 'list')) {
      // Reads without a resourceVersion must be linearizable: they need an etcd quorum.
      return { status: 500, body: errors.internalError('etcdserver: request timed out'), user, info, why: 'etcd has lost quorum, so a quorum read cannot complete' };
    }
    const signer = this.checkSignerPermission(info, user);
    if (signer) return { status: 403, body: signer, user, info, why: signer.message };
    const result = this.dispatch(info, info.info!, req, user);
    return { ...result, user, info, why: `${authn.detail}; ${decision.reason}` };
  }

  /**
   * Approving or signing a CSR also needs the `approve` or `sign` verb on the CSR's signer
   * (resource `signers`, name = spec.signerName), checked by the CSR registry's strategy.
   */
  private checkSignerPermission(info: RequestInfo, user: UserInfo): Status | undefined {
    if (info.resource !== 'certificatesigningrequests' || (info.verb !== 'update' && info.verb !== 'patch')) return undefined;
    const verb = info.subresource === 'approval' ? 'approve' : info.subresource === 'status' ? 'sign' : undefined;
    if (!verb) return undefined;
    const stored = this.registry.get(info.info!, undefined, info.name!);
    const signerName = ((stored as { spec?: { signerName?: string } } | undefined)?.spec?.signerName) ?? '';
    const decision = this.options.authorizer.authorize({
      user,
      verb,
      resourceRequest: true,
      apiGroup: 'certificates.k8s.io',
      apiVersion: 'v1',
      resource: 'signers',
      name: signerName,
    });
    if (decision.decision === 'allow') return undefined;
    return errors.forbidden(info.info, info.name, `user not permitted to ${verb} requests with signerName "${signerName}"`);
  }

  attributes(info: RequestInfo, user: UserInfo): Attributes {
    return {
      user,
      verb: info.verb,
      resourceRequest: info.resourceRequest,
      path: info.path,
      apiGroup: info.apiGroup,
      apiVersion: info.apiVersion,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.info?.namespaced || info.resource === 'namespaces' ? info.namespace : undefined,
      name: info.resource === 'namespaces' ? info.namespace ?? info.name : info.name,
      fieldSelector: info.query.get('fieldSelector'),
      labelSelector: info.query.get('labelSelector'),
    };
  }

  private admit(info: ResourceInfo, req: RequestInfo, user: UserInfo): Admit {
    return (operation, object, old) => {
      let current = object;
      for (const plugin of this.options.admission) {
        const result = plugin.admit({
          operation,
          resource: info.resource,
          subresource: req.subresource,
          namespace: req.namespace,
          name: req.name ?? object?.metadata.name,
          object: current,
          oldObject: old,
          user,
        });
        if (!result.allowed) return errors.forbidden(info, req.name ?? object?.metadata.name, result.message);
        if (result.object) current = result.object;
      }
      return current === object ? undefined : current;
    };
  }

  private dispatch(req: RequestInfo, info: ResourceInfo, http: ApiRequest, user: UserInfo): WriteResult {
    const ns = info.namespaced ? req.namespace : undefined;
    const admit = this.admit(info, req, user);
    const ctx = { user, now: this.sim.clock.rfc3339() };
    const body = http.body as KubeObject;
    const scalable = req.subresource === 'scale' && SCALABLE.has(info.resource);
    if (req.subresource && !scalable && !['status', 'approval', 'binding'].includes(req.subresource)) {
      return { status: 405, body: errors.methodNotSupported(info, req.verb) };
    }
    if (req.subresource === 'binding' || scalable || info.resource === 'subjectaccessreviews') {
      return subresourceWrite(this, req, info, http, user, admit);
    }
    switch (req.verb) {
      case 'get': {
        const obj = this.registry.get(info, ns, req.name!);
        return obj ? { status: 200, body: obj } : { status: 404, body: errors.notFound(info, req.name!) };
      }
      case 'list': {
        const selector = compileSelector(req.query.get('labelSelector'), req.query.get('fieldSelector'));
        const { items, revision } = this.registry.list(info, ns, selector);
        return {
          status: 200,
          body: { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata: { resourceVersion: String(revision) }, items },
        };
      }
      case 'create': {
        if (info.resource !== 'services') return this.registry.create(info, ns, body, ctx, admit);
        const allocated = this.services.allocate(body);
        if ('field' in allocated) return { status: 422, body: errors.invalid('Service', '', body.metadata?.name ?? '', [allocated]) };
        const created = this.registry.create(info, ns, allocated.service, ctx, admit);
        if (created.status !== 201) this.services.release(allocated.service);
        return created;
      }
      case 'update':
        return this.registry.update(info, ns, req.name!, body, req.subresource, admit);
      case 'patch': {
        const type = http.contentType?.includes('strategic') ? 'strategic' : 'merge';
        return this.registry.patch(info, ns, req.name!, type, http.body, req.subresource, admit);
      }
      case 'delete': {
        const grace = (http.body as { gracePeriodSeconds?: number } | undefined)?.gracePeriodSeconds;
        const result = this.registry.delete(
          info,
          ns,
          req.name!,
          { gracePeriodSeconds: grace, now: ctx.now, nowMs: this.sim.nowMs, formatTime: (ms) => this.sim.clock.rfc3339(ms) },
          admit,
        );
        if (info.resource === 'services' && result.after === null && result.before) this.services.release(result.before);
        return result;
      }
      default:
        return { status: 405, body: errors.methodNotSupported(info, req.verb) };
    }
  }

  /**
   * Opens a watch. Events are handed to `handlers` synchronously as the store changes; the
   * transport between the API server and the client adds the network's delay and records them.
   */
  watch(req: ApiRequest, handlers: WatchHandlers): WatchHandle {
    const parsed = parseRequestInfo(req.method, req.path);
    let cancel = (): void => {};
    const respond = (outcome: Outcome): WatchHandle => {
      this.record(req, outcome);
      return { response: { status: outcome.status, body: outcome.body }, cancel: () => cancel() };
    };
    if ('error' in parsed || !parsed.info) return respond({ status: 404, body: errors.status(404, 'NotFound', 'the server could not find the requested resource') });
    const authn = this.options.authn.authenticate(req.credentials);
    if (!authn.ok) return respond({ status: 401, body: errors.unauthorized(), info: parsed, why: authn.why });
    const decision = this.options.authorizer.authorize(this.attributes(parsed, authn.user));
    if (decision.decision !== 'allow') {
      const attrs = this.attributes(parsed, authn.user);
      return respond({ status: 403, body: forbiddenStatus(attrs, decision.reason), user: authn.user, info: parsed, why: decision.reason || 'no authorizer allowed it' });
    }
    const info = parsed.info;
    const cache = this.cacheFor(info);
    const selector = compileSelector(parsed.query.get('labelSelector'), parsed.query.get('fieldSelector'));
    const rv = Number(parsed.query.get('resourceVersion') ?? '0') || this.options.store.revision;
    const keyPrefix = info.namespaced && parsed.namespace ? `${info.etcdPrefix}${parsed.namespace}/` : info.etcdPrefix;
    const outcome: Outcome = { status: 200, user: authn.user, info: parsed, why: `${authn.detail}; ${decision.reason}` };
    const handle = respond(outcome);
    try {
      cancel = cache.add({ selector, keyPrefix, onEvent: (type, object) => handlers.onEvent(type, object) }, rv);
    } catch (error) {
      if (!(error instanceof CompactedError)) throw error;
      // The watch cache answers 200 and then sends an ERROR event carrying 410 Expired.
      handlers.onEvent('ERROR', errors.expired(error.requested, error.oldest));
      handlers.onClose('too old resource version');
    }
    return handle;
  }

  /**
   * The object of a BOOKMARK event on a watch of `path`: an empty object of the watched kind
   * (the cacher's newFunc) carrying only the watch cache's current resourceVersion. The
   * k8s.io/initial-events-end annotation belongs only to watches with sendInitialEvents=true,
   * which no component here opens.
   */
  bookmark(path: string): KubeObject | undefined {
    const parsed = parseRequestInfo('GET', path);
    if ('error' in parsed || !parsed.info) return undefined;
    return { kind: parsed.info.kind, apiVersion: apiVersionOf(parsed.info), metadata: { resourceVersion: String(this.options.store.revision) } } as KubeObject;
  }

  private cacheFor(info: ResourceInfo): WatchCache {
    let cache = this.caches.get(info.resource);
    if (!cache) this.caches.set(info.resource, (cache = new WatchCache(this.options.store, info.etcdPrefix)));
    return cache;
  }

  /**
   * A restarted kube-apiserver: its watch caches are rebuilt from the store at the current
   * revision, so watches that ask for anything older get 410 Expired.
   */
  restart(): void {
    for (const cache of this.caches.values()) cache.close();
    this.caches.clear();
    this.startWatchCaches();
  }

  /** Creates watch caches up front, as kube-apiserver does at start-up. */
  startWatchCaches(): void {
    for (const info of RESOURCES) if (info.resource !== 'subjectaccessreviews') this.cacheFor(info);
  }

  /** Records the exchange as a step; returns its number. */
  private record(req: ApiRequest, outcome: Outcome): number {
    const info = outcome.info;
    const failed = outcome.status >= 400;
    const body = outcome.body as Status | undefined;
    const outcomeText = failed ? ` kube-apiserver answered ${statusText(outcome.status)}${body?.message ? `: ${body.message}` : ''}${outcome.why && outcome.status !== 409 && outcome.status !== 404 ? ` (${outcome.why})` : ''}.` : '';
    return this.sim.recorder.record({
      stage: req.stage ?? (info ? stageOf(info) : 'authentication'),
      from: req.from,
      to: 'kube-apiserver',
      kind: 'request',
      summary: `${info ? describe(info) : req.path} → ${statusText(outcome.status)}`,
      explanation: `${req.why}${outcomeText}`,
      node: req.node,
      method: req.method,
      path: req.path,
      status: outcome.status,
      user: outcome.user?.name,
      groups: outcome.user?.groups,
      request: req.body,
      contentType: req.method === 'PATCH' ? req.contentType : undefined,
      response: outcome.body,
      key: outcome.key,
      revision: outcome.revision,
      before: outcome.before,
      after: outcome.after,
      // Only a routine repeat that worked is a heartbeat: a 401 or a 500 is news, never folded away.
      heartbeat: outcome.status < 400 ? req.heartbeat : undefined,
      detail: outcome.why ? { decision: outcome.why } : undefined,
    }).step;
  }

  /** Runs the authenticator chain on a request's credentials (for requests served outside `handle`: discovery, OpenAPI). */
  authenticate(credentials: ApiRequest['credentials']): AuthnResult {
    return this.options.authn.authenticate(credentials);
  }

  /** Runs the authorizer chain (Node, then RBAC), as a SubjectAccessReview asks it to. */
  authorize(attrs: Attributes): { decision: string; reason: string } {
    return this.options.authorizer.authorize(attrs);
  }

  nowText(): string {
    return this.sim.clock.rfc3339();
  }

  get store(): Store<KubeObject> {
    return this.options.store;
  }

  findResource(group: string, resource: string): ResourceInfo | undefined {
    return findResource(group, resource);
  }
}
