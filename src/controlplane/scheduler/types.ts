import type { PodCondition, Taint, Toleration } from '../../api/core.js';
import type { KubeObject } from '../../api/meta.js';

/**
 * The parts of Pods and Nodes kube-scheduler reads (k8s.io/api/core/v1), as JSON. Only the fields
 * the scheduling plugins look at are typed; everything else passes through untouched.
 */
export type { PodCondition, Taint, Toleration } from '../../api/core.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export type ResourceList = Record<string, string | number | undefined>;

export interface SchedulingContainer {
  name: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  restartPolicy?: string;
}

export interface SchedulingPod extends KubeObject {
  spec: {
    nodeName?: string;
    schedulerName?: string;
    nodeSelector?: Record<string, string>;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } } };
    tolerations?: Toleration[];
    containers: SchedulingContainer[];
    initContainers?: SchedulingContainer[];
    overhead?: ResourceList;
    priority?: number;
    preemptionPolicy?: string;
    schedulingGates?: { name: string }[];
  };
  status?: { phase?: string; conditions?: PodCondition[] };
}

export interface SchedulingNode extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { allocatable?: ResourceList; capacity?: ResourceList };
}
