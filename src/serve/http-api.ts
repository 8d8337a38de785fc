import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KubeObject, Status, UserInfo } from '../api/meta.js';
import type { ApiRequest, Credentials } from '../api/request.js';
import { EPOCH_MS } from '../sim/clock.js';
import type { Cluster } from '../cluster/cluster.js';
import { parseRequestInfo, type RequestInfo } from '../controlplane/apiserver/request-info.js';
import { compileSelector } from '../controlplane/apiserver/selectors.js';
import * as errors from '../controlplane/apiserver/status.js';
import { forbiddenStatus } from '../controlplane/apiserver/authorization/index.js';
import { encodePem } from '../pki/index.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openApiDocument, openApiIndex, versionInfo } from './discovery.js';
import { decodeBody, MAX_BODY_BYTES, readBody, tooLarge } from './request-body.js';
import { checkObjectBody, withDefaults } from './object-checks.js';
import { mergePatch, strategicMergePatch } from '../controlplane/apiserver/patch.js';
import { toTable, wantsTable } from './table.js';
import { systemClock, type WallTimer } from '../cli/wall-clock.js';

/**
 * The HTTP face of the simulated kube-apiserver for real clients (kubectl, client libraries).
 * Each request's TLS client certificate or bearer token goes through the cluster's own
 * authenticator and authorizer chain; resource requests go to `ApiServer.handle` / `watch`,
 * so they are recorded as steps with the identity they authenticated as, exactly like the
 * cluster's own components. Discovery, OpenAPI and /version are answered here and are not
 * recorded: they are the client's bookkeeping, not part of the story.
 *
 * Nothing a client sends can stop the simulation: every failure becomes a metav1.Status with
 * the code kube-apiserver would use.
 */
export interface HttpApiOptions {
  readonly cluster: Cluster;
  /** host:port clients reach the server at, for /api's serverAddressByClientCIDRs. */
  readonly serverAddress: () => string;
  readonly maxBodyBytes?: number;
  /** Called for every request that could not be served (for the serve log). */
  readonly onError?: (error: unknown) => void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

function credentialsOf(req: IncomingMessage): Credentials {
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(false) : undefined;
  const clientCertificate = peer && peer.raw ? encodePem('CERTIFICATE', new Uint8Array(peer.raw)) : undefined;
  const auth = req.headers.authorization;
  const bearer = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
  return { ...(clientCertificate ? { clientCertificate } : {}), ...(bearer ? { bearerToken: bearer } : {}) };
}

/** `kubectl/v1.32.4 (linux/amd64) kubernetes/...` → `kubectl`: how the transcript names the caller. */
export function agentName(userAgent: string | undefined): string {
  const product = (userAgent ?? '').split(/[\s/]/)[0].replace(/[^A-Za-z0-9._-]/g, '');
  return product ? product.slice(0, 40) : 'client';
}

function send(res: ServerResponse, status: number, body: unknown, head = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(head ? undefined : text);
}

export class HttpApi {
  private readonly maxBodyBytes: number;
  /** Open watch streams, closed when the server stops. */
  private readonly watches = new Set<() => void>();

  constructor(private readonly options: HttpApiOptions) {
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  }

  private get cluster(): Cluster {
    return this.options.cluster;
  }

  /** Ends every open watch, as a stopping kube-apiserver does. */
  closeWatches(): void {
    for (const close of [...this.watches]) close();
  }

  /** The request listener for `https.createServer`. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((error: unknown) => {
      this.options.onError?.(error);
      send(res, 500, errors.internalError(error instanceof Error ? error.message : String(error)));
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const raw = await readBody(req, this.maxBodyBytes);
    const credentials = credentialsOf(req);
    const from = `${agentName(req.headers['user-agent'])}@127.0.0.1`;
    const parsed = METHODS.has(method) ? parseRequestInfo(method === 'HEAD' ? 'GET' : method, url) : undefined;
    const resource = parsed && !('error' in parsed) && parsed.resourceRequest ? parsed : undefined;
    const request = (body?: unknown, contentType?: string): ApiRequest => ({
      method: (method === 'HEAD' ? 'GET' : method) as ApiRequest['method'],
      path: url,
      body,
      contentType,
      credentials,
      from,
      why: `${from} is a real client connected to the served kube-apiserver on 127.0.0.1; its request goes through the same authentication, authorization and admission as the cluster's own components.`,
    });
    // The filter chain's order: authentication, then authorization, then the handler reads the body.
    const apiserver = this.cluster.apiserver;
    const authn = apiserver.authenticate(credentials);
    if (!authn.ok) {
      // A resource request is recorded, with why the credentials were rejected.
      send(res, 401, resource ? apiserver.handle(request()).body : errors.unauthorized());
      return;
    }
    if (!parsed) {
      send(res, 405, errors.status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
      return;
    }
    if ('error' in parsed) {
      // Authorization runs before routing: an anonymous caller learns nothing about what exists.
      if (authn.user.name === 'system:anonymous') send(res, 403, errors.forbidden(undefined, undefined, `User "system:anonymous" cannot ${method.toLowerCase()} path "${url.split('?')[0]}"`));
      else send(res, 404, errors.status(404, 'NotFound', parsed.error));
      return;
    }
    if (!resource) {
      this.serveNonResource(parsed, authn.user, res, method === 'HEAD');
      return;
    }
    if (apiserver.authorize(apiserver.attributes(resource, authn.user)).decision !== 'allow') {
      const denied = apiserver.handle(request());
      send(res, denied.status, denied.body);
      return;
    }
    if (raw === 'too-large') {
      send(res, 413, tooLarge(this.maxBodyBytes));
      return;
    }
    try {
      compileSelector(parsed.query.get('labelSelector'), parsed.query.get('fieldSelector'));
    } catch (error) {
      send(res, 400, errors.badRequest(error instanceof Error ? error.message : String(error)));
      return;
    }
    const decoded = decodeBody(method, req.headers['content-type'], raw);
    if (!decoded.ok) {
      send(res, decoded.status, decoded.error);
      return;
    }
    const apiRequest = request(parsed.info ? withDefaults({ info: parsed.info, verb: parsed.verb }, decoded.body) : decoded.body, decoded.contentType);
    if (parsed.verb === 'watch') {
      this.serveWatch(apiRequest, parsed, req, res);
      return;
    }
    const problem = this.checkWrite(parsed, authn.user, decoded.body, decoded.contentType);
    if (problem) {
      send(res, problem.code, problem);
      return;
    }
    const response = this.cluster.apiserver.handle(apiRequest);
    let body = response.body;
    if (response.status === 200 && (parsed.verb === 'get' || parsed.verb === 'list') && wantsTable(req.headers.accept) && parsed.info) {
      body = this.table(parsed, body);
    }
    send(res, response.status, body, method === 'HEAD');
  }

  /**
   * The checks kube-apiserver makes on a write's body before storing it (object-checks.ts), for
   * callers allowed to write at all (only they may learn what is wrong with a body). A patch is
   * checked by its result: the stored object with the patch applied.
   */
  private checkWrite(parsed: RequestInfo, user: UserInfo, body: unknown, contentType: string | undefined): Status | undefined {
    const info = parsed.info;
    if (!info || !['create', 'update', 'patch'].includes(parsed.verb)) return undefined;
    if (parsed.verb === 'patch' && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      return errors.badRequest(`json: cannot unmarshal ${Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body} into Go value of type map[string]interface {}`);
    }
    if (parsed.subresource === 'binding' || parsed.subresource === 'scale' || info.resource === 'subjectaccessreviews') return undefined;
    const apiserver = this.cluster.apiserver;
    if (apiserver.authorize(apiserver.attributes(parsed, user)).decision !== 'allow') return undefined;
    const context = { serviceCIDR: this.cluster.config.serviceCIDR, nodeNames: this.cluster.scenario.spec.nodes.map((n) => n.name) };
    const target = { info, verb: parsed.verb, namespace: parsed.namespace, name: parsed.name };
    if (parsed.verb !== 'patch') return checkObjectBody(target, body, context);
    if (parsed.subresource) return undefined;
    const current = apiserver.registry.get(info, info.namespaced ? parsed.namespace : undefined, parsed.name!);
    if (!current) return undefined;
    const patched = (contentType?.includes('strategic') ? strategicMergePatch : mergePatch)(current, body) as KubeObject;
    const m = patched.metadata as unknown;
    const metadata = typeof m === 'object' && m !== null && !Array.isArray(m) ? { ...m, name: current.metadata.name, namespace: current.metadata.namespace } : m;
    return checkObjectBody({ ...target, verb: 'update' }, { ...patched, apiVersion: current.apiVersion, kind: current.kind, metadata }, context);
  }

  private table(info: RequestInfo, body: unknown): object {
    const nowEpochMs = EPOCH_MS + this.cluster.sim.nowMs;
    const includeObject = info.query.get('includeObject');
    if (info.verb === 'list') {
      const list = body as { items: KubeObject[]; metadata: { resourceVersion?: string } };
      return toTable(info.info!.resource, list.items, list.metadata.resourceVersion, { nowEpochMs, includeObject });
    }
    const obj = body as KubeObject;
    return toTable(info.info!.resource, [obj], obj.metadata.resourceVersion, { nowEpochMs, includeObject });
  }

  private serveNonResource(info: RequestInfo, user: UserInfo, res: ServerResponse, head: boolean): void {
    const apiserver = this.cluster.apiserver;
    const attrs = { user, verb: info.verb, resourceRequest: false, path: info.path, apiGroup: '', apiVersion: '' };
    const decision = apiserver.authorize(attrs);
    if (decision.decision !== 'allow') {
      send(res, 403, forbiddenStatus(attrs, decision.reason));
      return;
    }
    if (info.verb !== 'get') {
      send(res, 405, errors.status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
      return;
    }
    const body = this.nonResourceBody(info.path);
    if (body === undefined) send(res, 404, errors.status(404, 'NotFound', 'the server could not find the requested resource'));
    else send(res, 200, body, head);
  }

  private nonResourceBody(path: string): unknown {
    const clean = path.replace(/\/+$/, '') || '/';
    const parts = clean.split('/').filter(Boolean);
    if (clean === '/version') return versionInfo(this.cluster.config.kubernetesVersion);
    if (clean === '/healthz' || clean === '/livez' || clean === '/readyz') {
      return this.cluster.store.available ? 'ok' : undefined;
    }
    if (clean === '/api') return apiVersions(this.options.serverAddress());
    if (clean === '/apis') return apiGroupList();
    if (parts[0] === 'api' && parts.length === 2) return apiResourceList(parts[1]);
    if (parts[0] === 'apis' && parts.length === 2) return apiGroup(parts[1]);
    if (parts[0] === 'apis' && parts.length === 3) return apiResourceList(`${parts[1]}/${parts[2]}`);
    if (clean === '/openapi/v3') return openApiIndex();
    if (parts[0] === 'openapi' && parts[1] === 'v3') return openApiDocument(parts.slice(2).join('/'));
    return undefined;
  }

  /**
   * A watch: the API server's answer, then one JSON object per line (`{"type":..,"object":..}`)
   * as the store changes, chunked, until the client goes away or `timeoutSeconds` runs out.
   * Without a resourceVersion (or with "0") the stream starts with an ADDED event per existing
   * object, as the real watch cache does.
   */
  private serveWatch(apiRequest: ApiRequest, info: RequestInfo, req: IncomingMessage, res: ServerResponse): void {
    const table = wantsTable(req.headers.accept);
    const includeObject = info.query.get('includeObject');
    const nowEpochMs = (): number => EPOCH_MS + this.cluster.sim.nowMs;
    let open = true;
    let headerSent = false;
    const write = (type: string, object: KubeObject | Status): void => {
      if (!open) return;
      const payload = table && type !== 'ERROR' && type !== 'BOOKMARK'
        ? toTable(info.info!.resource, [object as KubeObject], (object as KubeObject).metadata?.resourceVersion, { nowEpochMs: nowEpochMs(), includeObject, noHeaders: headerSent })
        : object;
      if (table && type !== 'ERROR' && type !== 'BOOKMARK') headerSent = true;
      res.write(`${JSON.stringify({ type, object: payload })}\n`);
    };
    const pending: Array<[string, KubeObject | Status]> = [];
    let started = false;
    let closeRequested = false;
    let closeStream = (): void => {
      closeRequested = true;
    };
    const handle = this.cluster.apiserver.watch(apiRequest, {
      onEvent: (type, object) => (started ? write(type, object) : pending.push([type, object])),
      onClose: () => closeStream(),
    });
    if (handle.response.status !== 200) {
      send(res, handle.response.status, handle.response.body);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const rv = info.query.get('resourceVersion');
    if (!rv || rv === '0') {
      const ns = info.info!.namespaced ? info.namespace : undefined;
      const { items } = this.cluster.apiserver.registry.list(info.info!, ns, compileSelector(info.query.get('labelSelector'), info.query.get('fieldSelector')));
      for (const item of items) write('ADDED', item);
    }
    started = true;
    for (const [type, object] of pending) write(type, object);
    let timer: WallTimer | undefined;
    closeStream = (): void => {
      if (!open) return;
      open = false;
      if (timer) systemClock.clearTimeout(timer);
      this.watches.delete(closeStream);
      handle.cancel();
      res.end();
    };
    this.watches.add(closeStream);
    const timeout = Number(info.query.get('timeoutSeconds') ?? '0');
    if (timeout > 0) timer = systemClock.setTimeout(closeStream, timeout * 1000);
    res.on('close', closeStream);
    if (closeRequested) closeStream();
  }
}
