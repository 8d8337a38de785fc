/**
 * What CNI plugins do on a node, as pure models: the conflist each installer writes, the
 * ADD/DEL calls the runtime makes and their results, IP address management, and the devices,
 * routes and encapsulation each plugin/backend pair sets up.
 */
export * from './types.js';
export { conflistFor, bridgeConflistJson, CONFLIST_FILE_NAMES, type CniConflist, type ConflistFile, type ConflistOptions } from './conflist.js';
export * from './ipam.js';
export * from './plugin.js';
export * from './node-network.js';
export { sandboxNetnsPath, bridgeVethName, calicoVethName, weaveVethName, deterministicMac } from './names.js';
