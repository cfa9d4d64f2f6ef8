import { answerFilingNo, systemFilingNo, type FilingNoAnswer, type FilingOnRecord } from '../../domain/drama-filing/filing-number.js';
import { DRAMA_FILING_TYPES, type DramaFilingType } from '../../domain/drama-filing/terms.js';
import type { DramaFilingStatus } from '../../domain/drama-filing/state.js';
import type { Db } from '../client.js';

const FILING_TYPES = Object.keys(DRAMA_FILING_TYPES) as DramaFilingType[];

/** The filing of the system numbered so (its 备案编号 is the case's reference number), as the `cases` read model has it now. */
export async function filingOnRecord(db: Db, referenceNo: string): Promise<FilingOnRecord | undefined> {
  const row = await db
    .selectFrom('cases')
    .select(['case_id', 'reference_no', 'case_type', 'status', 'applicant_account_id', (eb) => eb.ref('state', '->').key('submission').as('submission')])
    .where('reference_no', '=', referenceNo)
    .where('case_type', 'in', FILING_TYPES)
    .executeTakeFirst();
  if (!row) return undefined;
  const title = (row.submission as { title?: unknown } | null)?.title;
  return {
    caseId: row.case_id,
    referenceNo: row.reference_no,
    filingType: row.case_type as DramaFilingType,
    status: row.status as DramaFilingStatus,
    applicantAccountId: row.applicant_account_id,
    ...(typeof title === 'string' ? { title } : {}),
  };
}

/** What the system's filings say of a 备案号 an application states (domain/drama-filing/filing-number.ts). */
export async function answerStatedFilingNo(db: Db, stated: string, applicantAccountId: string): Promise<FilingNoAnswer> {
  const referenceNo = systemFilingNo(stated);
  return answerFilingNo(stated, referenceNo === undefined ? undefined : await filingOnRecord(db, referenceNo), applicantAccountId);
}
