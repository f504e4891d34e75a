export {
  collectGarbage,
  consume,
  DEFAULT_MEASURE,
  type Measurement,
  type MeasureOptions,
  measure,
  measurePair,
  type PairMeasurement,
  setHeartbeat,
  sinkValue,
} from './measure.js';
export {
  type CaseResult,
  type ComparedRow,
  compare,
  type FailedRow,
  formatBytes,
  formatOps,
  formatRunInfo,
  formatTable,
  isFailed,
  type RunInfo,
  runInfo,
  type TableRow,
  writeJson,
} from './report.js';
export { type BenchArgs, BenchRun, type CaseSpec, parseBenchArgs, type Side } from './run.js';
export { Watchdog } from './watchdog.js';
