import type { Prng } from '../sim/prng.js';
import type { Simulation } from '../sim/simulation.js';
import type { ClusterConfig } from '../cluster/config.js';
import type { RestClient } from '../controlplane/client/rest-client.js';
import { Informer } from '../controlplane/client/informer.js';

/**
 * kube-proxy on one node (cmd/kube-proxy, pkg/proxy): it authenticates with its service-account
 * token and lists/watches Services, EndpointSlices and its own Node. It never watches Pods, and
 * it never forwards traffic itself: it programs the kernel, which rewrites packets.
 */
export class KubeProxy {
  readonly services: Informer;
  readonly endpointSlices: Informer;
  readonly node: Informer;

  constructor(
    private readonly sim: Simulation,
    private readonly client: RestClient,
    private readonly prng: Prng,
    private readonly nodeName: string,
    readonly config: ClusterConfig,
  ) {
    const onChange = (): void => this.changed();
    const handlers = { onAdd: onChange, onUpdate: onChange, onDelete: onChange };
    this.services = new Informer(sim, client, prng.fork('services'), {
      path: '/api/v1/services',
      labelSelector: '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name',
      why: `kube-proxy on ${nodeName} lists and watches Services (skipping headless ones and those owned by another proxy): each ClusterIP and port becomes rules on this node.`,
      stage: 'networking',
    }, handlers);
    this.endpointSlices = new Informer(sim, client, prng.fork('endpointslices'), {
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      labelSelector: '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name',
      why: `kube-proxy on ${nodeName} lists and watches EndpointSlices: they say which pod IPs back each Service. It does not watch Pods.`,
      stage: 'networking',
    }, handlers);
    this.node = new Informer(sim, client, prng.fork('node'), {
      path: '/api/v1/nodes',
      fieldSelector: `metadata.name=${nodeName}`,
      why: `kube-proxy watches its own Node for its labels and pod CIDR (topology hints, the local-traffic detector).`,
      stage: 'networking',
    }, {});
  }

  start(): void {
    this.services.start();
    this.endpointSlices.start();
    this.node.start();
  }

  /** Rules are programmed by the proxier (networking stage); here the inputs are only tracked. */
  private changed(): void {
    void this.sim;
    void this.client;
    void this.prng;
    void this.nodeName;
  }
}
