import { describe, expect, it } from 'vitest';
import { loadScenarioText } from './load.js';
import { formatProblem } from './problems.js';

/** A scenario with two workers and the given spec sections (indented by two spaces). */
function doc(sections: string): string {
  return `apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: demo }\nspec:\n  nodes: [{ name: worker-1 }, { name: worker-2 }]\n${sections}`;
}

function problems(sections: string): string[] {
  const result = loadScenarioText(doc(sections), 'x.yaml');
  return result.ok ? [] : result.problems.map(formatProblem);
}

const WEB = `    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 2
        selector: { matchExpressions: [{ key: app, operator: In, values: [web, www] }] }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: nginx:1.27, ports: [{ containerPort: 8080, name: http }] }] }
`;

describe('what the manifest and reference checks accept', () => {
  it.each([
    ['a Namespace and an object in it', '  resources:\n    - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }\n    - { apiVersion: v1, kind: ConfigMap, metadata: { name: cfg, namespace: shop } }\n'],
    ['a selector with matchExpressions, a Service on a named port', `  resources:\n${WEB}    - { apiVersion: v1, kind: Service, metadata: { name: web }, spec: { selector: { app: web }, ports: [{ port: 80, targetPort: http }] } }\n`],
    ['headless, ExternalName, NodePort and multi-port Services', '  resources:\n    - { apiVersion: v1, kind: Service, metadata: { name: db }, spec: { clusterIP: None } }\n    - { apiVersion: v1, kind: Service, metadata: { name: ext }, spec: { type: ExternalName, externalName: example.com } }\n    - { apiVersion: v1, kind: Service, metadata: { name: np }, spec: { type: NodePort, clusterIP: 10.96.0.50, ports: [{ name: a, port: 80, nodePort: 30080 }, { name: b, port: 81 }] } }\n'],
    ['pods and ReplicaSets named after their Deployment, kubeadm\'s objects', `  resources:\n${WEB}  timeline:\n    - { at: 1m, action: delete, target: pod/web-7d4b9c-x2x9q }\n  expect:\n    - { by: 1m, wait: replicaset/web-7d4b9c, for: create }\n    - { by: 1m, wait: service/kubernetes, for: create }\n    - { by: 1m, wait: pods -l app=web, for: condition=Ready }\n    - { by: 1m, wait: deployment/web, for: condition=Available=True }\n    - { by: 1m, wait: deployment/web, for: "jsonpath={.status.conditions[0].status}=True" }\n`],
    ['an object the timeline applies before it is deleted, scaled or waited for', '  timeline:\n    - { at: 1m, action: apply, manifest: { apiVersion: v1, kind: Pod, metadata: { name: client }, spec: { containers: [{ name: c, image: busybox }] } } }\n    - { at: 2m, action: request, from: pod/client, to: "http://web:80" }\n    - { at: 3m, action: delete, target: pod/client }\n  expect:\n    - { by: 1m, wait: pod/client, for: create }\n'],
    ['a pod pinned to a node, with requests under its limits', '  resources:\n    - { apiVersion: v1, kind: Pod, metadata: { name: p }, spec: { nodeName: worker-2, containers: [{ name: c, image: busybox, resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: "1", memory: 128Mi } } }] } }\n'],
  ])('%s', (_name, sections) => {
    expect(problems(sections)).toEqual([]);
  });
});

describe('what they refuse', () => {
  it.each([
    [
      'deleting an object before the timeline applies it',
      '  timeline:\n    - { at: 1m, action: delete, target: pod/late }\n    - { at: 2m, action: apply, manifest: { apiVersion: v1, kind: Pod, metadata: { name: late }, spec: { containers: [{ name: c, image: busybox }] } } }\n',
      ['x.yaml:7:41: spec.timeline[0].target: pod/late is applied only at 2m, after this action (1m)'],
    ],
    [
      'a wait target kind the simulator cannot look up',
      '  expect:\n    - { by: 1m, wait: daemonsets/x, for: create }\n',
      ['x.yaml:7:23: spec.expect[0].wait: unknown kind "daemonsets" in "daemonsets/x"; use one of deployment, deployments, deploy, replicaset, replicasets, rs, pod, pods, po, service, services, svc, node, nodes, no, configmap, cm, secret, namespace, ns'],
    ],
    [
      'a duplicate Service and a Service name that is not a DNS-1035 label',
      '  resources:\n    - { apiVersion: v1, kind: Service, metadata: { name: 1web }, spec: { ports: [{ port: 80 }] } }\n    - { apiVersion: v1, kind: Service, metadata: { name: 1web }, spec: { ports: [{ port: 80 }] } }\n',
      [
        'x.yaml:7:58: spec.resources[0].metadata.name: a Service name must be a DNS-1035 label: at most 63 lowercase letters, digits and "-", starting with a letter',
        'x.yaml:8:58: spec.resources[1].metadata.name: a Service name must be a DNS-1035 label: at most 63 lowercase letters, digits and "-", starting with a letter',
        'x.yaml:8:58: spec.resources[1].metadata.name: duplicate Service "1web" in namespace default (also spec.resources[0])',
      ],
    ],
    [
      'a Deployment without a selector or with an empty one',
      '  resources:\n    - { apiVersion: apps/v1, kind: Deployment, metadata: { name: a }, spec: { template: { metadata: { labels: { app: a } }, spec: { containers: [{ name: c, image: busybox }] } } } }\n    - { apiVersion: apps/v1, kind: Deployment, metadata: { name: b }, spec: { selector: {}, template: { spec: { containers: [{ name: c, image: busybox }] } } } }\n',
      [
        'x.yaml:7:77: spec.resources[0].spec: missing required field "selector" (apps/v1 Deployments need one, e.g. selector: { matchLabels: { app: web } })',
        'x.yaml:8:89: spec.resources[1].spec.selector: an empty selector would select every pod; the API refuses it',
      ],
    ],
    [
      'a nodePort on a ClusterIP Service',
      '  duration: 1m\n  resources:\n    - { apiVersion: v1, kind: Service, metadata: { name: s }, spec: { ports: [{ port: 80, nodePort: 30000 }] } }\n',
      ['x.yaml:8:101: spec.resources[0].spec.ports[0].nodePort: nodePort needs type NodePort or LoadBalancer, not ClusterIP'],
    ],
  ])('%s', (_name, sections, expected) => {
    expect(problems(sections)).toEqual(expected);
  });

  it('a node that joins after the scenario ends', () => {
    const text = doc('  duration: 1m\n').replace('{ name: worker-2 }', '{ name: worker-2, joinAt: 2m }');
    const result = loadScenarioText(text, 'x.yaml');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual(['x.yaml:5:57: spec.nodes[1].joinAt: happens at 2m, after the scenario ends (duration 1m)']);
  });
});
