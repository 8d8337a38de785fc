import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { servicePortsFrom } from './proxy-service-ports.js';

const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name }, spec });
const slice = (service: string, name: string, ports: unknown[], endpoints: unknown[]): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
  metadata: { namespace: 'default', name, labels: { 'kubernetes.io/service-name': service } }, ports, endpoints,
});

describe("kube-proxy's view of Services and EndpointSlices", () => {
  const services = [
    svc('web', { clusterIP: '10.96.5.5', type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }, { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' }] }),
    svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    svc('ext', { type: 'ExternalName', externalName: 'example.com' }),
  ];
  const slices = [
    slice('web', 'web-a', [{ name: 'http', port: 8080, protocol: 'TCP' }], [
      { addresses: ['10.244.1.4'], nodeName: 'worker-1', conditions: { ready: true, serving: true, terminating: false } },
      { addresses: ['10.244.2.9'], nodeName: 'worker-2', conditions: { ready: false, serving: true, terminating: true } },
    ]),
    slice('web', 'web-b', [{ name: 'http', port: 8080, protocol: 'TCP' }], [{ addresses: ['10.244.1.4'], nodeName: 'worker-1' }, { addresses: ['10.244.3.3'], nodeName: 'worker-3' }]),
    slice('headless', 'headless-a', [{ name: '', port: 80, protocol: 'TCP' }], [{ addresses: ['10.244.1.8'] }]),
  ];
  const ports = servicePortsFrom(services, slices, 'worker-1');

  it('has one entry per port of each Service with a ClusterIP, and none for headless or ExternalName Services', () => {
    expect(ports.map((p) => `${p.name}:${p.portName}`)).toEqual(['web:http', 'web:metrics']);
  });

  it('takes endpoints from the slices whose port has the same name, resolving named target ports', () => {
    const http = ports[0];
    expect(http).toMatchObject({ clusterIP: '10.96.5.5', port: 80, nodePort: 30080, targetPort: 8080, protocol: 'TCP' });
    expect(http.endpoints).toEqual([
      { ip: '10.244.1.4', port: 8080, nodeName: 'worker-1', ready: true, serving: true, terminating: false, isLocal: true },
      { ip: '10.244.2.9', port: 8080, nodeName: 'worker-2', ready: false, serving: true, terminating: true, isLocal: false },
      { ip: '10.244.3.3', port: 8080, nodeName: 'worker-3', ready: true, serving: true, terminating: false, isLocal: false },
    ]);
    expect(ports[1].endpoints).toEqual([]);
  });
});
