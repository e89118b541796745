/** What the `vigil` CLI uses to run the whole stack (runner/src/cli/stack-commands.ts). */
export { up, AlreadyRunning, type UpOptions, type StackHandle } from './up.ts';
export { down, type DownResult } from './down.ts';
export { status, type Status, type ComponentStatus } from './status.ts';
export {
  drill,
  DrillAborted,
  DRILL_FAULTS,
  DRILL_ALERT,
  type DrillFault,
  type DrillResult,
} from './drill.ts';
export { runningStack, secretOf, StackNotRunning } from './access.ts';
export { layoutOf } from './layout.ts';
export { readState, type StackState } from './state.ts';
export { DEFAULT_PORTS } from './ports.ts';
export { bootstrap, REFERENCE_TARGET, REFERENCE_PROBE, PROBE_INTERVAL_SECONDS } from './bootstrap.ts';
