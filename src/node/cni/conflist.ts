/**
 * The network configuration list each plugin's installer drops into /etc/cni/net.d, where the
 * container runtime finds it (the lexically first file wins). The texts are byte-for-byte the
 * shapes the installers write: flannel copies `cni-conf.json` from its ConfigMap
 * (`Documentation/kube-flannel.yml`), calico's install-cni fills in `cni_network_config` from
 * the calico.yaml manifest, weave's launch script writes a fixed file, and the bridge example
 * follows the bridge and host-local plugin READMEs (facts §4.5).
 */
import { cidrSize, nthAddress, parseCidr } from './ipv4.js';
import { CNI_CONF_DIR, type CniNode, type CniPluginName } from './types.js';

/** A conflist as parsed JSON; plugins keep their plugin-specific keys. */
export interface CniConflist {
  readonly cniVersion: string;
  readonly name: string;
  readonly plugins: readonly Readonly<Record<string, unknown>>[];
}

export interface ConflistFile {
  readonly fileName: string;
  /** Absolute path on the node. */
  readonly path: string;
  /** The file's text, formatted as the installer writes it. */
  readonly text: string;
  readonly json: CniConflist;
}

const FLANNEL = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`;

const calico = (nodeName: string, mtu: number): string => `{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "log_level": "info",
      "log_file_path": "/var/log/calico/cni/cni.log",
      "datastore_type": "kubernetes",
      "nodename": "${nodeName}",
      "mtu": ${mtu},
      "ipam": {
          "type": "calico-ipam"
      },
      "policy": {
          "type": "k8s"
      },
      "kubernetes": {
          "kubeconfig": "/etc/cni/net.d/calico-kubeconfig"
      }
    },
    {
      "type": "portmap",
      "snat": true,
      "capabilities": {"portMappings": true}
    },
    {
      "type": "bandwidth",
      "capabilities": {"bandwidth": true}
    }
  ]
}
`;

const WEAVE = `{
    "cniVersion": "0.3.0",
    "name": "weave",
    "plugins": [
        {
            "name": "weave",
            "type": "weave-net",
            "hairpinMode": true
        },
        {
            "type": "portmap",
            "capabilities": {"portMappings": true},
            "snat": true
        }
    ]
}
`;

/** The bridge example: cni0 as the pods' gateway, addresses from the node's podCIDR. */
export function bridgeConflistJson(podCIDR: string, name = 'simnet'): CniConflist {
  const cidr = parseCidr(podCIDR);
  if (cidrSize(cidr) < 4) throw new RangeError(`podCIDR ${podCIDR} is too small for a gateway and pods`);
  return {
    cniVersion: '1.0.0',
    name,
    plugins: [
      {
        type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: true,
        ipam: { type: 'host-local', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: podCIDR, gateway: nthAddress(cidr, 1) }]] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

export const CONFLIST_FILE_NAMES: Readonly<Record<CniPluginName, string>> = {
  flannel: '10-flannel.conflist',
  calico: '10-calico.conflist',
  weave: '10-weave.conflist',
  bridge: '10-bridge.conflist',
};

export interface ConflistOptions {
  /** Needed for calico (its `nodename`) and bridge (its podCIDR). */
  readonly node?: CniNode;
  /** calico's `veth_mtu`; "0" in the manifest means auto-detect. */
  readonly calicoMtu?: number;
}

/** The file a plugin's installer writes on a node. */
export function conflistFor(plugin: CniPluginName, options: ConflistOptions = {}): ConflistFile {
  const fileName = CONFLIST_FILE_NAMES[plugin];
  const text = conflistText(plugin, options);
  return { fileName, path: `${CNI_CONF_DIR}/${fileName}`, text, json: JSON.parse(text) as CniConflist };
}

function conflistText(plugin: CniPluginName, options: ConflistOptions): string {
  switch (plugin) {
    case 'flannel':
      return FLANNEL;
    case 'weave':
      return WEAVE;
    case 'calico':
      return calico(requireNode(plugin, options).name, options.calicoMtu ?? 0);
    case 'bridge': {
      const podCIDR = requireNode(plugin, options).podCIDR;
      if (!podCIDR) throw new Error(`bridge conflist needs the node's podCIDR`);
      return `${JSON.stringify(bridgeConflistJson(podCIDR), null, 2)}\n`;
    }
  }
}

function requireNode(plugin: CniPluginName, options: ConflistOptions): CniNode {
  if (!options.node) throw new Error(`the ${plugin} conflist is written per node: pass options.node`);
  return options.node;
}
