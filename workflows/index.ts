// The workflow bundle's entry point: every workflow type the worker runs. Each case type is its
// module (cases/) run by the one driver; the export's name is the workflow type.
import { caseWorkflow } from './case.workflow.js';

/**
 * A workflow that loads its case module when it starts. The SDK evaluates the bundle's modules
 * afresh for every workflow it creates, so that no two share module state; importing every case
 * module here made each 雏鹰 loan build the forms and rules of every other case type too, about 10 ms
 * of CPU per workflow (issue 17, `npm run bench -- --only=case-throughput`). The worker's bundle now
 * preloads the case modules once per thread (worker/create-worker.ts, SHARED_WORKFLOW_MODULES), and
 * this import finds them evaluated; a bundle made without that (a test's own) still loads only its
 * case's module. The import is bundled in (webpack's eager mode: no chunk to fetch) and settles
 * within the workflow's first activation, before any of its commands, so histories replay as they
 * were recorded.
 */
function loadedWhenStarted<W extends (input: never) => Promise<unknown>>(workflowType: string, load: () => Promise<W>): W {
  const started = async (input: Parameters<W>[0]) => {
    const workflow = await load();
    // The client names a workflow by its function's name: the module's own name for it must agree.
    if (workflow.name !== workflowType) throw new TypeError(`the case module runs as ${workflow.name}, not ${workflowType}`);
    return workflow(input);
  };
  Object.defineProperty(started, 'name', { value: workflowType });
  return started as unknown as W;
}

export const chuyingLoanWorkflow = loadedWhenStarted('chuyingLoanWorkflow', () => import(/* webpackMode: "eager" */ '../cases/chuying-loan.case.js').then((m) => caseWorkflow(m.chuyingLoanCase)));
export const dramaFilingWorkflow = loadedWhenStarted('dramaFilingWorkflow', () => import(/* webpackMode: "eager" */ '../cases/drama-filing.case.js').then((m) => caseWorkflow(m.dramaFilingCase)));
export const applicationWorkflow = loadedWhenStarted('applicationWorkflow', () => import(/* webpackMode: "eager" */ '../cases/application.case.js').then((m) => caseWorkflow(m.applicationCase)));
export const recoveryWorkflow = loadedWhenStarted('recoveryWorkflow', () => import(/* webpackMode: "eager" */ '../cases/recovery.case.js').then((m) => caseWorkflow(m.recoveryCase)));
export const callWorkflow = loadedWhenStarted('callWorkflow', () => import(/* webpackMode: "eager" */ '../cases/call.case.js').then((m) => caseWorkflow(m.callCase)));
