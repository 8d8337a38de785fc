/**
 * IP address management for pods, one model per plugin family: host-local (flannel, bridge)
 * from the node's podCIDR, calico-ipam from /26 blocks of a cluster pool, and Weave's shared
 * range. Every function takes a state and returns a new one, so allocation is deterministic
 * and a simulation can snapshot it.
 */
export * from './ipam-types.js';
export * from './ipam-host-local.js';
export * from './ipam-calico.js';
export * from './ipam-weave.js';
