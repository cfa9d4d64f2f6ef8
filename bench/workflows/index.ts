// The benchmark's own workflow bundle, built apart from workflows/index.ts: none of these run in production.
export { noopCaseWorkflow } from './noop-case.workflow.js';
export { timerProbeWorkflow } from './timers.workflow.js';
