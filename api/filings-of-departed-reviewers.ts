import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import { DEPARTMENTS, SYSTEM_ACTOR, type Department } from '../domain/cases/actor.js';
import type { DramaFilingAction } from '../domain/drama-filing/commands.js';
import { FILING_OFFICIALS } from '../cases/drama-filing.case.js';
import { caseActionUpdate } from '../workflows/case.messages.js';
import { caseWorkflowId } from '../workflows/task-queues.js';

const FILING_TYPES = ['drama-planning-filing', 'drama-release-filing'];

/** The account as it stands after a change an administrator made or approved. */
interface AccountNow {
  account_id: string;
  display_name: string;
  role: string;
  department: string | null;
  duties: string[];
  disabled_at: Date | null;
}

/**
 * Why this account can no longer review a filing of `department`, in the words the filing's
 * department and the case's history read, or undefined while it still can.
 */
export function whyNoLongerReviewing(account: AccountNow, department: Department): string | undefined {
  // Said as the case's history keeps it, which the applicant reads too: never the administrator's own reason for disabling.
  const name = account.display_name;
  if (account.disabled_at) return `认领人${name}的账号已停用`;
  if (account.role !== 'official') return `认领人${name}已不再担任工作人员`;
  if (account.department !== department) return `认领人${name}已调离${DEPARTMENTS[department]}`;
  // The duties the filing actions are granted to (cases/drama-filing.case.ts): the reviewers and the supervising official.
  if (!account.duties.some((duty) => (FILING_OFFICIALS.official.duties as readonly string[]).includes(duty))) return `认领人${name}已不再担任审查工作`;
  return undefined;
}

/**
 * The filings an official had claimed and can no longer review — disabled, moved to another
 * department, no longer an official or a reviewer — handed back to their department's queue (交回待认领) by the
 * system, with why: an outside tester disabled a reviewer holding filings due in 2 working days,
 * and they stayed in review under a name nobody could act as, looking like any colleague's claim,
 * until their deadlines passed. Their deadlines do not move; the department and the holder are told
 * (domain/notices/notices.ts). Run after the change is recorded; a filing decided or handed back
 * meanwhile is left as it is, and each hand-back is one update per claim (its id), so running it
 * again records nothing twice. Answers the reference numbers handed back.
 */
export async function handBackFilingsOfDepartedReviewer(db: Db, temporal: Client, username: string, log: { warn: (o: object, msg: string) => void }): Promise<string[]> {
  const account = await db
    .selectFrom('accounts')
    .select(['account_id', 'display_name', 'role', 'department', 'duties', 'disabled_at'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!account) return [];
  const held = await db
    .selectFrom('cases')
    .select(['case_id', 'reference_no', sql<string>`coalesce(state->'terms'->>'reviewingDepartment', 'culture-tourism')`.as('department'), sql<number>`jsonb_array_length(state->'rounds')`.as('round')])
    .where('case_type', 'in', FILING_TYPES)
    .where('status', '=', 'in-review')
    .where(sql<string>`state->'rounds'->-1->'reviewer'->>'accountId'`, '=', account.account_id)
    .execute();
  const handedBack: string[] = [];
  for (const filing of held) {
    const reason = whyNoLongerReviewing(account, filing.department as Department);
    if (!reason) continue;
    const requestId = `hand-back:${filing.case_id}:${filing.round}:${account.account_id}`;
    try {
      await temporal.workflow
        .getHandle(caseWorkflowId(filing.case_id))
        .executeUpdate(caseActionUpdate<DramaFilingAction>('releaseFiling'), { args: [{ actor: SYSTEM_ACTOR, requestId, action: { type: 'ReleaseFiling', reason } }], updateId: requestId });
      handedBack.push(filing.reference_no);
    } catch (error) {
      // Decided or handed back meanwhile, or the workflow out of reach: the supervisor's queue still shows the claim.
      log.warn({ caseId: filing.case_id, error: String(error) }, 'a departed reviewer’s filing was not handed back');
    }
  }
  return handedBack;
}
