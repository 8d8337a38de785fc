import type { ClusterConfig } from '../../cluster/config.js';
import { newCalicoIpam, newWeaveIpam, type CalicoIpamState, type CniBackend, type CniPluginName, type WeaveIpamState } from '../cni/index.js';

/**
 * What the network plugin keeps for the whole cluster rather than per node: Calico's IPAM
 * blocks (in a real cluster the IPAMBlock and BlockAffinity resources of its datastore), Weave's
 * address ring (negotiated between the peers), and which BGP sessions or mesh connections are
 * up. One fabric per cluster, found by the object that owns it.
 */
export interface NetworkFabric {
  readonly plugin: CniPluginName;
  readonly backend: CniBackend;
  calicoIpam: CalicoIpamState;
  weaveIpam: WeaveIpamState;
  /** Node pairs ("a|b", names sorted) with an Established BGP session (Calico's node-to-node mesh). */
  readonly bgpSessions: Set<string>;
  /** Node pairs connected in Weave's peer mesh. */
  readonly meshConnections: Set<string>;
  /** The daemon (flannel, calico-node, weave) running on each node, by node name. */
  readonly daemons: Map<string, FabricMember>;
}

/** What the fabric needs from one node's daemon to tell its peers about it. */
export interface FabricMember {
  readonly nodeName: string;
  readonly nodeIP: string;
  /** Called on a peer when this member announces (BGP UPDATE) or withdraws its blocks. */
  learn(from: FabricMember): void;
  forget(from: FabricMember): void;
}

/**
 * The data-plane backend the CNI model uses for the scenario's plugin: the bridge plugin has
 * none (it never connects nodes), whatever the scenario's backend field says.
 */
export function cniBackendOf(config: Pick<ClusterConfig, 'networkPlugin' | 'networkBackend'>): CniBackend {
  return config.networkPlugin === 'bridge' ? 'none' : (config.networkBackend as CniBackend);
}

const fabrics = new WeakMap<object, NetworkFabric>();

/** The fabric of the cluster `owner` stands for (the Cluster object). */
export function fabricFor(owner: object, config: Pick<ClusterConfig, 'networkPlugin' | 'networkBackend'>): NetworkFabric {
  let fabric = fabrics.get(owner);
  if (!fabric) {
    fabric = {
      plugin: config.networkPlugin,
      backend: cniBackendOf(config),
      calicoIpam: newCalicoIpam(),
      weaveIpam: newWeaveIpam(),
      bgpSessions: new Set(),
      meshConnections: new Set(),
      daemons: new Map(),
    };
    fabrics.set(owner, fabric);
  }
  return fabric;
}

/** The key of an unordered node pair. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
