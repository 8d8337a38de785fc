import type { Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../context.js';
import { EventRecorder } from '../nodelifecycle/event-recorder.js';
import type { NodeObject } from '../nodelifecycle/types.js';
import { CidrSet } from './cidr-set.js';

/**
 * The node IPAM controller with the RangeAllocator (pkg/controller/nodeipam/ipam/
 * range_allocator.go), what kube-controller-manager runs with --allocate-node-cidrs=true: every
 * Node without spec.podCIDR gets the next free /--node-cidr-mask-size block of --cluster-cidr,
 * written once with a PATCH (the field is immutable afterwards). The CNI plugin on the node (for
 * example flannel with --kube-subnet-mgr) only reads it. A deleted node's block goes back to the pool.
 */
const CIDR_UPDATE_RETRIES = 3;
/** Retry backoff for a node that could not get a range (the workqueue's rate limiter, coarser). */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 1000 * 1000;

export class NodeIpamController implements Controller {
  readonly name = 'node-ipam-controller';
  readonly cidrs: CidrSet;
  private readonly nodes: InformerLike<NodeObject>;
  private readonly queue: WorkQueue;
  private readonly events: EventRecorder;
  /** Consecutive failures per node, for backoff and to report each failure streak once. */
  private readonly failures = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {
    this.cidrs = new CidrSet(ctx.config.podCIDR, ctx.config.nodeCIDRMaskSize);
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    this.events = new EventRecorder(ctx, 'cidrAllocator', 'registration');
    this.nodes = sharedInformer<NodeObject>(ctx, 'nodes', {
      path: '/api/v1/nodes',
      why: `The node IPAM controller lists and watches Nodes so that each new node gets its own pod range out of --cluster-cidr=${this.cidrs.clusterCidr}.`,
      stage: 'registration',
    }, {
      onAdd: (node) => {
        // Ranges already on Nodes are taken before anything new is handed out (NewCIDRRangeAllocator).
        this.occupy(node);
        this.queue.add(node.metadata.name ?? '');
      },
      onUpdate: (_old, node) => this.queue.add(node.metadata.name ?? ''),
      onDelete: (node) => this.release(node),
      onSynced: () => ctx.sim.spawn(ctx.actor, runWorker(this.queue, (name) => this.syncNode(name))),
    });
  }

  start(): void {
    this.nodes.start();
  }

  private occupy(node: NodeObject): void {
    for (const cidr of node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : [])) this.cidrs.occupy(cidr);
  }

  private release(node: NodeObject): void {
    const released = (node.spec?.podCIDRs ?? []).filter((cidr) => this.cidrs.release(cidr));
    if (released.length === 0) return;
    this.ctx.sim.recorder.record({
      stage: 'registration',
      from: this.ctx.client.name,
      to: this.ctx.client.name,
      kind: 'decision',
      node: node.metadata.name,
      summary: `release pod CIDR ${released.join(', ')} of deleted node ${node.metadata.name}`,
      explanation: `Node ${node.metadata.name} was deleted, so the node IPAM controller returns its pod range to the pool. Allocation moves round-robin, so the range is handed out again only after the others.`,
    });
  }

  /** syncNode: occupy what a node already has, otherwise allocate and write a new range. */
  private *syncNode(name: string): Process<void> {
    const node = this.nodes.cache.get(name);
    if (!node) return;
    if (node.metadata.deletionTimestamp) {
      this.release(node);
      return;
    }
    if (node.spec?.podCIDRs?.length || node.spec?.podCIDR) {
      this.occupy(node);
      return;
    }
    const cidr = this.cidrs.allocateNext();
    if (!cidr) {
      if (!this.failures.has(name)) {
        this.events.event({ kind: 'Node', name, uid: node.metadata.uid }, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`,
          `Every /${this.cidrs.nodeMaskSize} of ${this.cidrs.clusterCidr} is in use, so the node IPAM controller cannot give ${name} a pod range and reports it as an Event.`);
      }
      this.retryLater(name);
      return;
    }
    this.recordAllocation(name, cidr);
    if (yield* this.updateCidrsAllocation(name, cidr)) this.failures.delete(name);
    else this.retryLater(name);
  }

  private retryLater(name: string): void {
    const failures = this.failures.get(name) ?? 0;
    this.failures.set(name, failures + 1);
    this.queue.addAfter(name, Math.min(RETRY_BASE_MS * 2 ** failures, RETRY_MAX_MS));
  }

  private recordAllocation(name: string, cidr: string): void {
    this.ctx.sim.recorder.record({
      stage: 'registration',
      from: this.ctx.client.name,
      to: this.ctx.client.name,
      kind: 'decision',
      node: name,
      summary: `allocate pod CIDR ${cidr} to ${name}`,
      explanation: `Node ${name} has no spec.podCIDR yet. The range allocator cuts --cluster-cidr=${this.cidrs.clusterCidr} into /${this.cidrs.nodeMaskSize} blocks (${this.cidrs.maxCidrs} of them) and hands out the next free one in turn: ${cidr}, now ${this.cidrs.allocatedCount} in use. Pods on ${name} will get their IPs from this range, so pod IPs never clash across nodes.`,
      detail: { clusterCIDR: this.cidrs.clusterCidr, nodeCIDRMaskSize: this.cidrs.nodeMaskSize, podCIDR: cidr, allocated: this.cidrs.allocatedCount },
    });
  }

  /** updateCIDRsAllocation: PATCH spec.podCIDR(s), up to 3 tries; release the block if it never lands. */
  private *updateCidrsAllocation(name: string, cidr: string): Process<boolean> {
    const current = this.nodes.cache.get(name);
    if (!current) {
      this.cidrs.release(cidr);
      return true;
    }
    if (current.spec?.podCIDR) {
      // Someone set it meanwhile: keep theirs, give ours back.
      if (current.spec.podCIDR !== cidr) this.cidrs.release(cidr);
      return true;
    }
    for (let attempt = 0; attempt < CIDR_UPDATE_RETRIES; attempt++) {
      const res = yield* this.ctx.client.patch(`/api/v1/nodes/${name}`, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, {
        why: `The node IPAM controller writes ${name}'s pod range into spec.podCIDR and spec.podCIDRs (a strategic merge patch). kube-apiserver accepts this once: after that the field is immutable. The node's CNI plugin reads it to hand out pod IPs.`,
        stage: 'registration',
      });
      if (res.status === 200) return true;
      if (res.status === 404) {
        // The node is gone; its deletion handler finds nothing to release, so release here.
        this.cidrs.release(cidr);
        return true;
      }
    }
    this.events.event({ kind: 'Node', name, uid: current.metadata.uid }, 'Normal', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`,
      `The node IPAM controller could not write ${cidr} to ${name} after ${CIDR_UPDATE_RETRIES} tries, so it reports the failure and returns the range to the pool.`);
    this.cidrs.release(cidr);
    return false;
  }
}
