/** The one task queue for case workflows and their activities: named once, used by worker, API and tests. */
export const CASES_TASK_QUEUE = 'youchuang-cases';

/** A case's workflow id derives from its case id, so a case can only ever have one workflow. */
export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}
