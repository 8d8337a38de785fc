import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEventType } from '../../api/meta.js';
import { createTestApi, type TestApi } from '../../cluster/testing.js';
import { compileSelector, matchesSelector } from './selectors.js';

const ctx = (api: TestApi) => ({ user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() });
const podsInfo = (api: TestApi) => api.apiserver.findResource('', 'pods')!;

function writePod(api: TestApi, namespace: string, name: string, nodeName: string | undefined): void {
  const info = podsInfo(api);
  const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { nodeName, containers: [{ name: 'app' }] } } as KubeObject;
  if (!api.apiserver.registry.get(info, namespace, name)) api.apiserver.registry.create(info, namespace, body, ctx(api), () => undefined);
  else api.apiserver.registry.update(info, namespace, name, body, undefined, () => undefined);
}

/** What a LIST must return: every stored object under the prefix that matches, sorted by key. */
function scan(api: TestApi, prefix: string, labelSelector?: string, fieldSelector?: string): KubeObject[] {
  const selector = compileSelector(labelSelector, fieldSelector);
  return api.store.range(prefix).map((kv) => kv.value).filter((o) => matchesSelector(selector, o));
}

describe('LIST with a node or name field selector', () => {
  it('returns exactly what scanning every pod would, while pods move, appear and go', () => {
    const write = fc.record({
      namespace: fc.constantFrom('default', 'kube-system'),
      name: fc.constantFrom('a', 'b', 'c', 'd'),
      nodeName: fc.option(fc.constantFrom('worker-1', 'worker-2'), { nil: undefined }),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 30 }), (writes) => {
        const api = createTestApi();
        for (const w of writes) {
          if (!w.remove) writePod(api, w.namespace, w.name, w.nodeName);
          else if (api.apiserver.registry.get(podsInfo(api), w.namespace, w.name)) {
            api.apiserver.registry.delete(podsInfo(api), w.namespace, w.name, { gracePeriodSeconds: 0, now: '', nowMs: 0, formatTime: () => '' }, () => undefined);
          }
        }
        for (const namespace of [undefined, 'default']) {
          const prefix = namespace ? `/registry/pods/${namespace}/` : '/registry/pods/';
          for (const field of ['spec.nodeName=worker-1', 'spec.nodeName=', 'metadata.name=a', 'metadata.name=a,spec.nodeName=worker-2']) {
            expect(api.apiserver.registry.list(podsInfo(api), namespace, compileSelector(undefined, field)).items).toEqual(scan(api, prefix, undefined, field));
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('watch cache: watchers of one object by name', () => {
  it('hear only their object, in the order every watcher registered', () => {
    const api = createTestApi();
    const heard: string[] = [];
    const watch = (who: string, fieldSelector?: string): void => {
      const client = api.client(who, 'admin');
      const query = fieldSelector ? `&fieldSelector=${encodeURIComponent(fieldSelector)}` : '';
      client.watch(`/api/v1/nodes?watch=true${query}`, { why: 't' }, {
        onOpen: () => undefined,
        onEvent: (type: WatchEventType, obj) => heard.push(`${who} ${type} ${(obj as KubeObject).metadata.name}`),
        onClose: () => undefined,
      });
    };
    watch('all-1');
    watch('kubelet-1', 'metadata.name=worker-1');
    watch('kubelet-2', 'metadata.name=worker-2');
    watch('all-2');
    api.sim.runUntil(100);
    const nodes = api.apiserver.findResource('', 'nodes')!;
    for (const name of ['worker-2', 'worker-1']) api.apiserver.registry.create(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } } as KubeObject, ctx(api), () => undefined);
    api.sim.runUntil(200);
    expect(heard).toEqual([
      'all-1 ADDED worker-2', 'kubelet-2 ADDED worker-2', 'all-2 ADDED worker-2',
      'all-1 ADDED worker-1', 'kubelet-1 ADDED worker-1', 'all-2 ADDED worker-1',
    ]);
  });
});

describe('the API server lookup', () => {
  it('keeps the Node authorizer graph in step with stored pods', () => {
    const api = createTestApi();
    const graph = api.apiserver.lookup.nodeGraph!;
    writePod(api, 'default', 'web', undefined);
    expect(graph.hasNode('worker-1')).toBe(false);
    writePod(api, 'default', 'web', 'worker-1');
    expect(graph.podNode('default', 'web')).toBe('worker-1');
    expect(graph.path('serviceAccount', 'default', 'default', 'worker-1')).toEqual({ known: true, via: 'default/web' });
    api.apiserver.registry.delete(podsInfo(api), 'default', 'web', { gracePeriodSeconds: 0, now: '', nowMs: 0, formatTime: () => '' }, () => undefined);
    expect(graph.hasNode('worker-1')).toBe(false);
  });
});
