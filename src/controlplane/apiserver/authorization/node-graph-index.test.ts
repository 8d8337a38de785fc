import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { hasPathFrom, MIRROR_POD_ANNOTATION, type VertexType } from './node-graph.js';
import { NodeGraphIndex } from './node-graph-index.js';
import { staticLookup } from './static-lookup.js';
import type { ObjectLookup } from './types.js';

const NAMESPACES = ['default', 'kube-system'];
const NODES = ['worker-1', 'worker-2', 'worker-3'];
const REFS = ['x', 'y', 'z'];
const POD_NAMES = ['p1', 'p2', 'p3', 'p4'];
const TYPES: VertexType[] = ['secret', 'configmap', 'pvc', 'serviceAccount', 'pod', 'pv', 'volumeattachment', 'resourceclaim'];

const podArb: fc.Arbitrary<PodShape> = fc.record({
  name: fc.constantFrom(...POD_NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
  nodeName: fc.option(fc.constantFrom(...NODES), { nil: undefined }),
  mirror: fc.boolean(),
  secret: fc.option(fc.constantFrom(...REFS), { nil: undefined }),
  configMap: fc.option(fc.constantFrom(...REFS), { nil: undefined }),
  claim: fc.option(fc.constantFrom(...REFS), { nil: undefined }),
  serviceAccount: fc.option(fc.constantFrom(...REFS), { nil: undefined }),
});

interface PodShape {
  name: string;
  namespace: string;
  nodeName?: string;
  mirror: boolean;
  secret?: string;
  configMap?: string;
  claim?: string;
  serviceAccount?: string;
}

function pod(p: PodShape): KubeObject {
  const volumes = [
    ...(p.secret ? [{ name: 's', secret: { secretName: p.secret } }] : []),
    ...(p.claim ? [{ name: 'c', persistentVolumeClaim: { claimName: p.claim } }] : []),
  ];
  const containers = p.configMap ? [{ name: 'app', envFrom: [{ configMapRef: { name: p.configMap } }] }] : [{ name: 'app' }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, annotations: p.mirror ? { [MIRROR_POD_ANNOTATION]: 'x' } : undefined },
    spec: { nodeName: p.nodeName, serviceAccountName: p.serviceAccount, volumes, containers },
  };
}

const others: KubeObject[] = [
  { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'x' }, spec: { claimRef: { namespace: 'default', name: 'x' } } },
  { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'y' }, spec: {} },
  { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'x' }, spec: { nodeName: 'worker-2' } },
];

/** The pods a store holds after the writes: the last write of each namespace/name wins, a delete removes it. */
function stored(writes: { pod: KubeObject; remove: boolean }[]): KubeObject[] {
  const byKey = new Map<string, KubeObject>();
  for (const w of writes) {
    const key = `${w.pod.metadata.namespace}/${w.pod.metadata.name}`;
    if (w.remove) byKey.delete(key);
    else byKey.set(key, w.pod);
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p);
}

describe('NodeGraphIndex', () => {
  it('answers every Node authorizer question exactly as scanning the stored pods does', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ pod: podArb, remove: fc.boolean() }), { maxLength: 25 }), (raw) => {
        const writes = raw.map((w) => ({ pod: pod(w.pod), remove: w.remove }));
        const graph = new NodeGraphIndex();
        for (const w of writes) {
          if (w.remove) graph.removePod(`${w.pod.metadata.namespace}/${w.pod.metadata.name}`);
          else graph.setPod(w.pod);
        }
        const scanning = staticLookup([...stored(writes), ...others]);
        const indexed: ObjectLookup = { ...scanning, nodeGraph: graph };
        for (const node of NODES) {
          for (const type of TYPES) {
            for (const namespace of NAMESPACES) {
              for (const name of [...REFS, ...POD_NAMES]) {
                expect(hasPathFrom(indexed, node, type, namespace, name)).toEqual(hasPathFrom(scanning, node, type, namespace, name));
              }
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('forgets a node once its last pod is gone', () => {
    const graph = new NodeGraphIndex();
    const web = pod({ name: 'web', namespace: 'default', nodeName: 'worker-1', mirror: false, secret: 'tls' });
    graph.setPod(web);
    expect(graph.hasNode('worker-1')).toBe(true);
    expect(graph.path('secret', 'default', 'tls', 'worker-1')).toEqual({ known: true, via: 'default/web' });
    graph.removePod('default/web');
    expect(graph.hasNode('worker-1')).toBe(false);
    expect(graph.path('secret', 'default', 'tls', 'worker-1')).toEqual({ known: false });
  });
});
