import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { startServe, type RunningServe } from '../src/serve/serve.js';
import { builtin, ROOT } from './helpers.js';

/**
 * `kube-learn serve` against real clients: the kubectl binary and @kubernetes/client-node,
 * over HTTPS on an ephemeral port on 127.0.0.1. The server runs in this process, so clients are
 * driven asynchronously (a synchronous child process would block the simulation's event loop).
 */
const run = promisify(execFile);
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const kubectlVersion = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' });
const kubectlMinor = Number(/Client Version: v1\.(\d+)/.exec(kubectlVersion.stdout ?? '')?.[1] ?? '0');
/** The kubectl releases `serve` is made for: 1.29 and newer (older ones validate with OpenAPI v2 schemas). */
const hasKubectl = kubectlVersion.status === 0 && kubectlMinor >= 29;
if (!hasKubectl) {
  const why = kubectlVersion.status === 0 ? `kubectl 1.${kubectlMinor} is older than 1.29` : 'kubectl is not installed';
  console.log(`test/serve.test.ts: the kubectl tests are skipped: ${why} (set KUBECTL to the path of kubectl 1.29 or newer)`);
}

const dir = mkdtempSync(join(tmpdir(), 'kube-learn-serve-'));
const kubeconfigPath = join(dir, 'admin.conf');
let served: RunningServe;

async function kubectl(args: string[], kubeconfig = kubeconfigPath): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A raw HTTPS request with the admin's certificate (or none), for what clients never send. */
function raw(method: string, path: string, options: { body?: string | Buffer; contentType?: string; admin?: boolean; token?: string } = {}): Promise<{ status: number; body: any }> {
  const url = new URL(path, served.url);
  const c = served.credentials;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: c.caPem,
        ...(options.admin === false ? {} : { cert: c.adminCertPem, key: c.adminKeyPem }),
        headers: {
          ...(options.contentType ? { 'Content-Type': options.contentType } : {}),
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // plain text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  served = await startServe({ scenario: builtin('first-node'), port: 0, kubeconfigPath, speed: 10 });
  // worker-2 joins at 5 s of virtual time: half a second of real time at 10x.
  await until('both nodes', () => (served.cluster.apiserver.lookup.get('nodes', undefined, 'worker-2') ? true : undefined));
});

afterAll(async () => {
  await served?.stop();
});

describe('serve: TLS and the kubeconfig', () => {
  it('writes admin.conf for kubernetes-admin in kubeadm:cluster-admins, pointing at 127.0.0.1', () => {
    const config = parseYaml(readFileSync(kubeconfigPath, 'utf8'));
    expect(config['current-context']).toBe('kubernetes-admin@kubernetes');
    expect(config.clusters[0].cluster.server).toBe(served.url);
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const cert = new X509Certificate(Buffer.from(config.users[0].user['client-certificate-data'], 'base64'));
    // Go's pkix.Name writes O before CN.
    expect(cert.subject).toBe('O=kubeadm:cluster-admins\nCN=kubernetes-admin');
    expect(cert.issuer).toBe('CN=kubernetes');
  });

  it('serves a certificate for 127.0.0.1, localhost and kubernetes.default.svc, signed by the cluster CA', () => {
    const server = new X509Certificate(served.credentials.serverCertPem);
    expect(server.verify(new X509Certificate(served.credentials.caPem).publicKey)).toBe(true);
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(server.subjectAltName).toContain('DNS:kubernetes.default.svc');
    expect(server.subjectAltName).toContain('DNS:localhost');
  });
});

describe.skipIf(!hasKubectl)('serve: kubectl', () => {
  it('kubectl get nodes prints the server-side table with both nodes Ready', async () => {
    const out = await until('both nodes Ready', async () => {
      const r = await kubectl(['get', 'nodes']);
      return /worker-1\s+Ready/.test(r.stdout) && /worker-2\s+Ready/.test(r.stdout) ? r.stdout : undefined;
    });
    expect(out.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(out).toMatch(/worker-1\s+Ready\s+<none>\s+\d+s\s+v1\.32\.0/);
  });

  it('kubectl get csr shows the kubelets\' CSRs approved and issued, requested by the bootstrap token', async () => {
    const r = await kubectl(['get', 'csr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/node-csr-\S+\s+\d+s\s+kubernetes\.io\/kube-apiserver-client-kubelet\s+system:bootstrap:abcdef\s+<none>\s+Approved,Issued/);
  });

  it('kubectl get endpointslices shows the kubernetes Service\'s slice', async () => {
    const r = await kubectl(['get', 'endpointslices']);
    expect(r.stdout).toMatch(/kubernetes\s+IPv4\s+6443\s+\S+/);
  });

  it('kubectl describe node shows the node, its Lease and its pods', async () => {
    const r = await kubectl(['describe', 'node', 'worker-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+worker-1$/m);
    expect(r.stdout).toMatch(/HolderIdentity:\s+worker-1/);
    expect(r.stdout).toMatch(/PodCIDR:\s+10\.244\.\d+\.0\/24/);
    expect(r.stdout).toContain('Non-terminated Pods:');
  });

  it('kubectl get leases -w shows the kubelets\' renewals arrive (every 10 s of virtual time)', async () => {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfigPath, '--cache-dir', join(dir, 'cache'), 'get', 'leases', '-n', 'kube-node-lease', '-w', '--output-watch-events']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // At 10x, two renewals of worker-1 take about 2 s of real time.
      await until('two renewals', () => ((out.match(/MODIFIED\s+worker-1\s+worker-1/g) ?? []).length >= 2 ? true : undefined), 15_000);
    } finally {
      child.kill('SIGINT');
    }
    expect(out.split('\n')[0]).toMatch(/^EVENT\s+NAME\s+HOLDER\s+AGE$/);
    expect(out).toMatch(/ADDED\s+worker-1\s+worker-1/);
  });

  it('kubectl apply creates, then patches; each write is a step as kubernetes-admin', async () => {
    const manifest = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      containers:
      - name: hello
        image: ${image}
        ports:
        - containerPort: 80
`;
    const file = join(dir, 'hello.yaml');
    writeFileSync(file, manifest(1, 'nginx:1.27'));
    const created = await kubectl(['apply', '-f', file]);
    expect(created.stdout.trim()).toBe('deployment.apps/hello created');
    writeFileSync(file, manifest(3, 'nginx:1.28'));
    const patched = await kubectl(['apply', '-f', file]);
    expect(patched.stdout.trim()).toBe('deployment.apps/hello configured');
    const got = await kubectl(['get', 'deployment', 'hello', '-o', 'json']);
    const deployment = JSON.parse(got.stdout);
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'hello', image: 'nginx:1.28', ports: [expect.objectContaining({ containerPort: 80 })] })]);
    expect(deployment.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('nginx:1.28');
    const writes = served.cluster.sim.recorder.steps.filter((s) => s.from === 'kubectl@127.0.0.1' && (s.method === 'POST' || s.method === 'PATCH'));
    expect(writes.map((s) => [s.method, s.path?.split('?')[0], s.status, s.user, s.groups])).toEqual([
      ['POST', '/apis/apps/v1/namespaces/default/deployments', 201, 'kubernetes-admin', ['kubeadm:cluster-admins', 'system:authenticated']],
      ['PATCH', '/apis/apps/v1/namespaces/default/deployments/hello', 200, 'kubernetes-admin', ['kubeadm:cluster-admins', 'system:authenticated']],
    ]);
    // The cluster acts on it: the deployment controller makes a ReplicaSet for the new template.
    await until('a ReplicaSet for nginx:1.28', () =>
      served.cluster.apiserver.lookup.list('replicasets', 'default').some((rs) => JSON.stringify(rs).includes('nginx:1.28')) ? true : undefined,
    );
  });

  it('kubectl create namespace/configmap/secret (protobuf bodies) create the objects; other kinds get 415', async () => {
    expect((await kubectl(['create', 'namespace', 'demo'])).stdout.trim()).toBe('namespace/demo created');
    expect((await kubectl(['create', 'configmap', 'settings', '-n', 'demo', '--from-literal=mode=fast'])).stdout.trim()).toBe('configmap/settings created');
    expect((await kubectl(['create', 'secret', 'generic', 'db', '-n', 'demo', '--from-literal=password=hunter2'])).stdout.trim()).toBe('secret/db created');
    const lookup = served.cluster.apiserver.lookup;
    expect(lookup.get('configmaps', 'demo', 'settings')?.data).toEqual({ mode: 'fast' });
    expect(lookup.get('secrets', 'demo', 'db')).toMatchObject({ type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } });
    const deployment = await kubectl(['create', 'deployment', 'd1', '--image=nginx:1.27']);
    expect(deployment.code).not.toBe(0);
    expect(deployment.stderr).toContain('protobuf bodies are decoded for Namespace, ConfigMap, Secret, ServiceAccount only, not Deployment');
  });

  const withToken = (token: string): string => {
    const config = parseYaml(readFileSync(kubeconfigPath, 'utf8'));
    config.users[0].user = { token };
    const path = join(dir, `token-${token}.conf`);
    writeFileSync(path, JSON.stringify(config));
    return path;
  };

  it('a known bootstrap token authenticates, and RBAC forbids it to list nodes (403)', async () => {
    const r = await kubectl(['get', 'nodes'], withToken('abcdef.0123456789abcdef'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Forbidden): nodes is forbidden: User "system:bootstrap:abcdef" cannot list resource "nodes" in API group "" at the cluster scope');
  });

  it('an unknown token is a 401', async () => {
    const r = await kubectl(['get', 'nodes'], withToken('abcdef.0000000000000000'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: You must be logged in to the server');
  });
});

describe('serve: @kubernetes/client-node', () => {
  const kc = (): k8s.KubeConfig => {
    const config = new k8s.KubeConfig();
    config.loadFromString(served.kubeconfig);
    return config;
  };

  it('lists nodes and reads a node Lease', async () => {
    const core = kc().makeApiClient(k8s.CoreV1Api);
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual(['worker-1', 'worker-2']);
    const coordination = kc().makeApiClient(k8s.CoordinationV1Api);
    const lease = await coordination.readNamespacedLease({ name: 'worker-1', namespace: 'kube-node-lease' });
    expect(lease.spec?.holderIdentity).toBe('worker-1');
    expect(lease.spec?.leaseDurationSeconds).toBe(40);
  });

  it('watches Leases from a list\'s resourceVersion and sees renewTime move on', async () => {
    const coordination = kc().makeApiClient(k8s.CoordinationV1Api);
    const list = await coordination.listNamespacedLease({ namespace: 'kube-node-lease' });
    const renewTimes: string[] = [];
    const watch = new k8s.Watch(kc());
    const request = await watch.watch(
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
      { resourceVersion: list.metadata?.resourceVersion, fieldSelector: 'metadata.name=worker-1' },
      (type: string, lease: k8s.V1Lease) => {
        if (type === 'MODIFIED') renewTimes.push(String(lease.spec?.renewTime));
      },
      () => {},
    );
    try {
      await until('two renewals', () => (renewTimes.length >= 2 ? true : undefined), 15_000);
    } finally {
      request.abort();
    }
    const [a, b] = renewTimes.map((t) => Date.parse(t));
    // renewInterval 10 s with the lease controller's 4% jitter (wait.JitterUntil(sync, 10s, 0.04)).
    expect(b - a).toBeGreaterThanOrEqual(10_000);
    expect(b - a).toBeLessThanOrEqual(10_400);
  });

  it('creates a ConfigMap as kubernetes-admin; a second create is 409 AlreadyExists', async () => {
    const core = kc().makeApiClient(k8s.CoreV1Api);
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-client-node' }, data: { a: 'b' } };
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body });
    expect(created.metadata?.uid).toBeTruthy();
    await expect(core.createNamespacedConfigMap({ namespace: 'default', body })).rejects.toMatchObject({ code: 409 });
  });
});

describe('serve: bad input gets kube-apiserver\'s answers and never stops the simulation', () => {
  it('answers with metav1.Status and the real codes', async () => {
    const before = served.cluster.sim.nowMs;
    const huge = Buffer.alloc(3 * 1024 * 1024 + 10, 0x61);
    const cases = await Promise.all([
      raw('POST', '/api/v1/namespaces/default/configmaps', { body: '{"kind":', contentType: 'application/json' }),
      raw('POST', '/api/v1/namespaces/default/configmaps', { body: huge, contentType: 'application/json' }),
      raw('GET', '/api/v1/widgets'),
      raw('GET', '/api/v1/nodes', { admin: false, token: 'abcdef.0000000000000000' }),
      raw('GET', '/api/v1/nodes', { admin: false }),
      raw('POST', '/api/v1/namespaces/default/configmaps', { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}', contentType: 'text/plain' }),
      raw('POST', '/api/v1/namespaces/default/pods', { body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"empty"},"spec":{}}', contentType: 'application/json' }),
      raw('GET', '/api/v1/pods?fieldSelector=%3D%3D'),
      raw('POST', '/api/v1/namespaces/other/configmaps', { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}', contentType: 'application/json' }),
    ]);
    expect(cases.map((c) => [c.status, c.body.kind, c.body.reason])).toEqual([
      [400, 'Status', 'BadRequest'],
      [413, 'Status', 'RequestEntityTooLarge'],
      [404, 'Status', 'NotFound'],
      [401, 'Status', 'Unauthorized'],
      [403, 'Status', 'Forbidden'],
      [415, 'Status', 'UnsupportedMediaType'],
      [422, 'Status', 'Invalid'],
      [400, 'Status', 'BadRequest'],
      [400, 'Status', 'BadRequest'],
    ]);
    expect(cases[1].body.message).toBe('Request entity too large: limit is 3145728');
    // Authentication and authorization come before the body is read: an anonymous caller's
    // malformed body is a 403, not a 400, and rejected requests are steps with their reason.
    const anonymous = await raw('POST', '/api/v1/namespaces/default/configmaps', { admin: false, body: '{"kind":', contentType: 'application/json' });
    expect(anonymous.status).toBe(403);
    const rejected = served.cluster.sim.recorder.steps.filter((s) => s.from === 'client@127.0.0.1' && s.path === '/api/v1/nodes');
    expect(rejected.map((s) => s.status)).toEqual(expect.arrayContaining([401, 403]));
    expect(rejected.find((s) => s.status === 401)?.explanation).toContain('invalid bearer token');
    // The clock keeps moving and the kubelets keep renewing.
    const steps = served.cluster.sim.recorder.length;
    await until('the simulation to go on', () => (served.cluster.sim.nowMs > before + 2_000 && served.cluster.sim.recorder.length > steps ? true : undefined));
  });
});

describe('kube-learn serve (the command)', () => {
  it('prints how to connect, serves, and exits 130 on Ctrl-C', async () => {
    const kubeconfig = join(dir, 'cli.conf');
    const child = spawn(process.execPath, [join(ROOT, 'bin/kube-learn.js'), 'serve', 'first-node', '--port', '0', '--kubeconfig', kubeconfig, '--speed', '10', '--quiet']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until('the banner', () => (err.includes('Ctrl-C stops the cluster.') ? true : undefined));
    expect(err).toMatch(/kube-apiserver is serving https:\/\/127\.0\.0\.1:\d+/);
    expect(err).toContain(`KUBECONFIG=${kubeconfig} kubectl get nodes -w`);
    expect(readFileSync(kubeconfig, 'utf8')).toContain('kubernetes-admin@kubernetes');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
  });

  it('rejects a bad --speed with exit 2', async () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kube-learn.js'), 'serve', 'first-node', '--speed', '0'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("option '--speed <n>' argument '0' is invalid");
  });
});
