// A workflow bundle entry for tests: every production workflow type, each module with its
// decision-letter hook, as workflows/index.ts runs them once the modules declare the hook.
import { applicationCase } from '../../../cases/application.case.js';
import { chuyingLoanCase } from '../../../cases/chuying-loan.case.js';
import { dramaFilingCase } from '../../../cases/drama-filing.case.js';
import { recoveryCase } from '../../../cases/recovery.case.js';
import { letterForApplication, letterForChuyingLoan, letterForDramaFiling, letterForRecovery } from '../../../domain/decisions/case-letters.js';
import { caseWorkflow } from '../../../workflows/case.workflow.js';

export const chuyingLoanWorkflow = caseWorkflow({ ...chuyingLoanCase, decisionLetter: letterForChuyingLoan });
export const dramaFilingWorkflow = caseWorkflow({ ...dramaFilingCase, decisionLetter: letterForDramaFiling });
export const applicationWorkflow = caseWorkflow({ ...applicationCase, decisionLetter: letterForApplication });
export const recoveryWorkflow = caseWorkflow({ ...recoveryCase, decisionLetter: letterForRecovery });
