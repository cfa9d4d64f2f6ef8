// The workflow bundle's entry point: every workflow type the worker runs.
export { chuyingLoanWorkflow } from './chuying-loan.workflow.js';
export { dramaFilingWorkflow } from './drama-filing.workflow.js';
export { applicationWorkflow } from './application.workflow.js';
