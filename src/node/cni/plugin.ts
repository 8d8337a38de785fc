/**
 * What happens when the container runtime sets up a pod's network: it reads the conflist,
 * runs each plugin binary with CNI_* variables and the config on stdin, and gets a result
 * (interfaces, IPs, routes, DNS) back on stdout. `cniAdd` / `cniDel` model that for each
 * plugin, including the calls plugins delegate (flannel -> bridge -> host-local) and what
 * they change on the host. Pure: IPAM state goes in and comes out.
 */
import { addBridgeFamily, delBridgeFamily } from './plugin-bridge.js';
import { addCalico, delCalico } from './plugin-calico.js';
import { addWeave, delWeave } from './plugin-weave.js';
import type { CniAddOutcome, CniDelOutcome, CniPodRequest } from './plugin-types.js';
import { assertBackend } from './types.js';

export type * from './plugin-types.js';
export { cniArgs, cniEnv, podMtu } from './plugin-env.js';

/** CNI ADD for one pod sandbox. */
export function cniAdd(req: CniPodRequest): CniAddOutcome {
  assertBackend(req.plugin, req.backend);
  switch (req.plugin) {
    case 'flannel':
    case 'bridge':
      return addBridgeFamily(req);
    case 'calico':
      return addCalico(req);
    case 'weave':
      return addWeave(req);
  }
}

/** CNI DEL: plugins run in reverse order, release the address and remove the veth. Idempotent. */
export function cniDel(req: CniPodRequest): CniDelOutcome {
  assertBackend(req.plugin, req.backend);
  switch (req.plugin) {
    case 'flannel':
    case 'bridge':
      return delBridgeFamily(req);
    case 'calico':
      return delCalico(req);
    case 'weave':
      return delWeave(req);
  }
}
