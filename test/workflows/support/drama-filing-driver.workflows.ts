// A workflow bundle entry that runs the drama filings through the one case driver, under the old
// workflow type, until workflows/index.ts exports it so.
import { dramaFilingCase } from '../../../cases/drama-filing.case.js';
import { caseWorkflow } from '../../../workflows/case.workflow.js';

export const dramaFilingWorkflow = caseWorkflow(dramaFilingCase);
