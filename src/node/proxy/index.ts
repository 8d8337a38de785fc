/**
 * kube-proxy's data plane programming as pure functions: given the Service ports and
 * endpoints a proxier knows, what it writes in each mode and what a packet does with it.
 * The kube-proxy agent (informers, sync timing) wraps these.
 */
export * from './types.js';
export { base32Std, servicePortChainName, servicePortEndpointChainName, CHAIN_PREFIX } from './chain-names.js';
export { categorizeEndpoints, type CategorizedEndpoints } from './categorize.js';
export { computeProbability, buildIptablesProgram, serviceChains, endpointChain } from './iptables-proxier.js';
export { renderIptables, type IptablesRender, type IptablesChainModel, type IptablesRuleModel } from './iptables.js';
export { walkChains, walkIptables, type PacketSpec, type Pick, type WalkHop, type WalkResult, type HopAction } from './walk.js';
export { renderIpvs, type IpvsRender, type IpvsVirtualServer, type IpsetModel } from './ipvs.js';
export { renderNftables, type NftablesRender } from './nftables.js';
export { nftServiceChains, nftEndpointChain } from './nftables-model.js';
export { diffRules, type RuleDiff, type DiffLine } from './diff.js';
export { serviceFragment, diffFragments, diffServicePorts, fixedSaveLineCount, servicePortKey, type ServiceFragment } from './iptables-partial.js';
