import type { Controller } from '../controlplane/controller/context.js';
import { Scheduler } from '../controlplane/scheduler/scheduler.js';
import { ReplicaSetController } from '../controlplane/controller/replicaset/replica-set-controller.js';
import { DeploymentController } from '../controlplane/controller/deployment/deployment-controller.js';
import { EndpointSliceController } from '../controlplane/controller/endpointslice/endpointslice-controller.js';
import { GarbageCollector } from '../controlplane/controller/garbagecollector/garbage-collector.js';
import { CsrApprovingController } from '../controlplane/controller/certificates/csr-approving-controller.js';
import { CsrSigningController } from '../controlplane/controller/certificates/csr-signing-controller.js';
import { NodeIpamController } from '../controlplane/controller/nodeipam/node-ipam-controller.js';
import { DaemonSetsController } from '../controlplane/controller/daemon/daemon-controller.js';
import { NodeLifecycleController } from '../controlplane/controller/nodelifecycle/node-lifecycle-controller.js';
import { TaintEvictionController } from '../controlplane/controller/tainteviction/taint-eviction-controller.js';
import { SharedInformerFactory } from '../controlplane/client/shared-informer.js';
import { CONTROLLER_SERVICE_ACCOUNTS } from './seed.js';
import type { Cluster } from './cluster.js';

/**
 * kube-controller-manager's controllers, each with its own service-account identity
 * (--use-service-account-credentials, as kubeadm sets it), and kube-scheduler with its client
 * certificate (CN=system:kube-scheduler).
 */
export function createControllers(cluster: Cluster): Controller[] {
  const manager = cluster.certificateClient('kube-controller-manager', 'system:kube-controller-manager');
  const informers = new SharedInformerFactory(cluster.sim, manager, cluster.sim.prng.fork('kube-controller-manager/informers'));
  const ctx = (controller: string, name = controller) => {
    const sa = CONTROLLER_SERVICE_ACCOUNTS[controller];
    if (!sa) throw new Error(`no service account for ${controller}`);
    return { ...cluster.controllerContext(name, cluster.serviceAccountClient(name, 'kube-system', sa)), informers };
  };
  const scheduler = cluster.certificateClient('kube-scheduler', 'system:kube-scheduler');
  return [
    new CsrApprovingController(ctx('certificatesigningrequest-approving-controller', 'csrapproving')),
    new CsrSigningController(ctx('certificatesigningrequest-signing-controller', 'csrsigning'), { ca: cluster.pki.ca, caKey: cluster.pki.caKey }),
    new NodeIpamController(ctx('node-ipam-controller', 'nodeipam')),
    new NodeLifecycleController(ctx('node-lifecycle-controller', 'node-lifecycle-controller')),
    new TaintEvictionController(ctx('taint-eviction-controller', 'taint-eviction-controller')),
    new DaemonSetsController(ctx('daemonset-controller')),
    new DeploymentController(ctx('deployment-controller')),
    new ReplicaSetController(ctx('replicaset-controller')),
    new EndpointSliceController(ctx('endpointslice-controller')),
    new GarbageCollector(ctx('garbage-collector-controller', 'garbage-collector')),
    new Scheduler(cluster.controllerContext('kube-scheduler', scheduler)),
  ];
}
