import type { Selectable } from 'kysely';
import { filingCheckOf, filingNoInWords, type FilingCheck } from '../../domain/drama-filing/filing-number.js';
import type { Db } from '../../db/client.js';
import { answerStatedFilingNo } from '../../db/registers/drama-filings.js';
import type { CasesTable } from '../../db/tables/cases.table.js';

interface FilingFactCheck {
  fact: string;
  value: unknown;
  note?: string;
  filing?: FilingCheck;
}

/**
 * An application's 事实核验 with its 微短剧备案号 held against the filings the system keeps, as they
 * stand when the page is asked for: whether the number is a filing of the system, its type and
 * status (通过 or not yet), and whether it is this applicant's; a number in another format is
 * 未在本系统备案，需核对原件. Read at the time, so a filing approved since shows as approved and no row
 * changes; cases opened before the number was checked at submission are told alike.
 */
export async function withFilingCheck<V extends { factChecks?: FilingFactCheck[] }>(db: Db, row: Pick<Selectable<CasesTable>, 'case_type' | 'applicant_account_id'>, view: V): Promise<V> {
  const checks = view.factChecks;
  const stated = checks?.find((check) => check.fact === 'dramaFilingNo')?.value;
  if (row.case_type !== 'application' || !checks || typeof stated !== 'string' || stated.trim() === '') return view;
  const answer = await answerStatedFilingNo(db, stated, row.applicant_account_id);
  const note = filingNoInWords(answer);
  const filing = filingCheckOf(answer);
  return { ...view, factChecks: checks.map((check) => (check.fact === 'dramaFilingNo' ? { ...check, note: check.note ? `${check.note}；${note}` : note, filing } : check)) };
}
