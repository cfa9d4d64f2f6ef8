// A workflow bundle entry that runs programme applications by their module (cases/application.case.ts)
// under the one driver, with the workflow type recorded histories name.
import { applicationCase } from '../../../cases/application.case.js';
import { caseWorkflow } from '../../../workflows/case.workflow.js';

export const applicationWorkflow = caseWorkflow(applicationCase);
