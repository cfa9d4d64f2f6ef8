// The workflow bundle's entry point: every workflow type the worker runs. Each case type is its
// module (cases/) run by the one driver; the export's name is the workflow type.
import { applicationCase } from '../cases/application.case.js';
import { callCase } from '../cases/call.case.js';
import { chuyingLoanCase } from '../cases/chuying-loan.case.js';
import { dramaFilingCase } from '../cases/drama-filing.case.js';
import { recoveryCase } from '../cases/recovery.case.js';
import { caseWorkflow } from './case.workflow.js';

export const chuyingLoanWorkflow = caseWorkflow(chuyingLoanCase);
export const dramaFilingWorkflow = caseWorkflow(dramaFilingCase);
export const applicationWorkflow = caseWorkflow(applicationCase);
export const recoveryWorkflow = caseWorkflow(recoveryCase);
export const callWorkflow = caseWorkflow(callCase);
