/**
 * The parts of a Service the simulation reads (type, selector, ports, clusterIP), checked as
 * kube-apiserver's validation and its ClusterIP/NodePort allocators would: ports in range, names
 * on multi-port Services, NodePorts in 30000-32767, a fixed clusterIP inside the service CIDR.
 */
import ipaddr from 'ipaddr.js';
import { parseCidr } from './network.js';
import { add, checkPortNumber, checkProtocol, checkStringMap, IANA_SVC_NAME, isMapping, type ManifestContext, type Path } from './pod-spec.js';
import { suggest } from './problems.js';

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
/** kube-apiserver's default --service-node-port-range. */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

function checkTargetPort(ctx: ManifestContext, path: Path, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'number') {
    checkPortNumber(ctx, path, value);
    return;
  }
  if (typeof value !== 'string' || !IANA_SVC_NAME.test(value) || value.length > 15) {
    add(ctx, path, 'expected a port number (1-65535) or the name of a container port');
  } else if (!ctx.portNames.has(value)) {
    add(ctx, path, `no container in this scenario has a port named "${value}"`, suggest(value, [...ctx.portNames]));
  }
}

function checkPorts(ctx: ManifestContext, path: Path, ports: unknown[], type: string): void {
  const names = new Map<string, number>();
  ports.forEach((port, index) => {
    const at = [...path, index];
    if (!isMapping(port)) return add(ctx, at, 'expected a mapping such as { port: 80, targetPort: 8080 }');
    if (port.port === undefined) add(ctx, at, 'missing required field "port"');
    else checkPortNumber(ctx, [...at, 'port'], port.port);
    checkTargetPort(ctx, [...at, 'targetPort'], port.targetPort);
    checkProtocol(ctx, [...at, 'protocol'], port.protocol);
    if (port.nodePort !== undefined) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') add(ctx, [...at, 'nodePort'], `nodePort needs type NodePort or LoadBalancer, not ${type}`);
      else checkPortNumber(ctx, [...at, 'nodePort'], port.nodePort, NODE_PORT_MIN, NODE_PORT_MAX);
    }
    const name = port.name;
    if (name === undefined) {
      if (ports.length > 1) add(ctx, at, 'a Service with more than one port must name each port');
    } else if (typeof name !== 'string' || !IANA_SVC_NAME.test(name) || name.length > 15) {
      add(ctx, [...at, 'name'], 'a port name is at most 15 lowercase letters, digits and "-", with at least one letter');
    } else if (names.has(name)) add(ctx, [...at, 'name'], `duplicate port name "${name}" (also ports[${names.get(name)}])`);
    else names.set(name, index);
  });
}

function checkClusterIP(ctx: ManifestContext, path: Path, value: unknown): void {
  if (value === undefined || value === '' || value === 'None') return;
  const range = parseCidr(ctx.serviceCIDR);
  if (typeof value !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(value)) {
    return add(ctx, path, `expected an IPv4 address inside the service CIDR ${ctx.serviceCIDR}, or None`);
  }
  if (!range.ok) return;
  const address = ipaddr.IPv4.parse(value);
  const size = 2 ** (32 - range.cidr[1]);
  const offset = address.octets.reduce((n, o) => n * 256 + o, 0) - range.cidr[0].octets.reduce((n, o) => n * 256 + o, 0);
  if (offset <= 0 || offset >= size - 1) {
    add(ctx, path, `${value} is not in the service CIDR ${ctx.serviceCIDR} (or is its network or broadcast address)`);
  }
}

/** A Service's spec at `path`. */
export function checkServiceSpec(ctx: ManifestContext, path: Path, spec: unknown): void {
  if (spec === undefined) return add(ctx, path.slice(0, -1), 'missing required field "spec"');
  if (!isMapping(spec)) return add(ctx, path, 'expected a mapping');
  const type = spec.type ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type as string)) {
    add(ctx, [...path, 'type'], `expected one of ${SERVICE_TYPES.join(', ')}, got ${JSON.stringify(type)}`, suggest(type, SERVICE_TYPES));
    return;
  }
  if (spec.selector !== undefined) checkStringMap(ctx, [...path, 'selector'], spec.selector);
  checkClusterIP(ctx, [...path, 'clusterIP'], spec.clusterIP);
  const headless = spec.clusterIP === 'None';
  if (spec.ports === undefined) {
    if (type !== 'ExternalName' && !headless) add(ctx, path, 'missing required field "ports" (e.g. ports: [{ port: 80, targetPort: 80 }])');
    return;
  }
  if (!Array.isArray(spec.ports)) return add(ctx, [...path, 'ports'], 'expected a list such as [{ port: 80, targetPort: 80 }]');
  if (spec.ports.length === 0 && type !== 'ExternalName' && !headless) return add(ctx, [...path, 'ports'], 'needs at least one port');
  checkPorts(ctx, [...path, 'ports'], spec.ports, type as string);
}
