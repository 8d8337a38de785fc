/** The scenario loader: the file format's schema, parsing helpers and the normalised Scenario. */
export { formatDuration, parseDuration, type DurationResult } from './duration.js';
export { parseBytes, parseCount, parseCpuMillis, parseQuantity, type QuantityResult } from './quantity.js';
export {
  API_VERSION,
  KUBERNETES_VERSIONS,
  NETWORK_BACKENDS,
  NETWORK_PLUGINS,
  scenarioJsonSchema,
  scenarioSchema,
  type NetworkBackend,
  type NetworkPlugin,
  type RawScenario,
  type ScenarioInput,
} from './schema.js';
export { TIMELINE_ACTIONS } from './schema-timeline.js';
export type * from './types.js';
export { formatProblem, formatPath, type Problem } from './problems.js';
export { loadScenarioFile, loadScenarioText, locateIssues, type LoadResult } from './load.js';
export type { PathIssue } from './problems.js';
export { NODE_ADDRESS_RANGES } from './network.js';
export { MIN_DURATION_MS } from './normalise.js';
export { INT32_MAX, SIMULATION_LIMITS } from './limits.js';
export { looksLikePath, resolveScenarioPath, scenarioNameOf } from './builtin.js';
export { fsErrorMessage, listScenarioFiles, pathKind, readScenarioFile, type PathKind } from './read-file.js';
