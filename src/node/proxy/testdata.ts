/**
 * A small cluster's Services as kube-proxy on node-1 sees them, for tests and for scenarios
 * that want realistic defaults: the apiserver, CoreDNS (two replicas on node-0 and one here)
 * and a NodePort web app.
 */
import type { EndpointModel, ProxierContext, ServicePortModel } from './types.js';

export const NODE_1: ProxierContext = { nodeName: 'node-1', nodeIP: '192.168.56.11', clusterCIDR: '10.244.0.0/16' };

export function readyEndpoint(ip: string, port: number, nodeName: string, localNode = 'node-1'): EndpointModel {
  return { ip, port, nodeName, ready: true, serving: true, terminating: false, isLocal: nodeName === localNode };
}

export function sampleServices(): ServicePortModel[] {
  const dns = [readyEndpoint('10.244.0.2', 53, 'node-0'), readyEndpoint('10.244.0.3', 53, 'node-0'), readyEndpoint('10.244.1.4', 53, 'node-1')];
  const dnsService = { namespace: 'kube-system', name: 'kube-dns', clusterIP: '10.96.0.10' } as const;
  return [
    {
      namespace: 'default', name: 'kubernetes', portName: 'https', protocol: 'TCP', clusterIP: '10.96.0.1', port: 443,
      targetPort: 6443, endpoints: [readyEndpoint('192.168.56.10', 6443, 'node-0')],
    },
    { ...dnsService, portName: 'dns', protocol: 'UDP', port: 53, targetPort: 53, endpoints: dns },
    { ...dnsService, portName: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53, endpoints: dns },
    {
      ...dnsService, portName: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153,
      endpoints: dns.map((ep) => ({ ...ep, port: 9153 })),
    },
    {
      namespace: 'default', name: 'web', portName: 'http', protocol: 'TCP', clusterIP: '10.96.120.15', port: 80,
      nodePort: 30080, targetPort: 8080,
      endpoints: [readyEndpoint('10.244.1.7', 8080, 'node-1'), readyEndpoint('10.244.2.9', 8080, 'node-2')],
    },
  ];
}
