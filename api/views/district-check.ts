import type { Selectable } from 'kysely';
import { registeredCompanyOf } from '../../domain/accounts/applicant-company.js';
import { creditCodeDistrictMismatch } from '../../domain/companies/shanghai-districts.js';
import type { Db } from '../../db/client.js';
import type { CasesTable } from '../../db/tables/cases.table.js';

interface DistrictFactCheck {
  fact: string;
  value: unknown;
  /** What the reviewer should look at before verifying the fact (a code issued in another district). */
  note?: string;
}

/**
 * An application's 事实核验 with the stated 注册区 held against the 统一社会信用代码: the code the
 * application gave, else the one registered on the applicant's account. An outside tester's company
 * 91310110… (registered by 杨浦) applied to 徐汇 measures stating 徐汇区 and was approved; nothing told
 * the reviewer. Not a refusal (a company may have moved since): a note at the fact, read at the time
 * the page is asked for, so no row changes.
 */
export async function withDistrictCheck<V extends { factChecks?: DistrictFactCheck[]; facts?: Record<string, unknown> }>(db: Db, row: Pick<Selectable<CasesTable>, 'case_type' | 'applicant_account_id'>, view: V): Promise<V> {
  const checks = view.factChecks;
  const district = checks?.find((check) => check.fact === 'registeredDistrict')?.value;
  if (row.case_type !== 'application' || !checks || typeof district !== 'string') return view;
  const stated = view.facts?.unifiedSocialCreditCode;
  const code = typeof stated === 'string' ? stated : await registeredCreditCodeOf(db, row.applicant_account_id);
  const note = code ? creditCodeDistrictMismatch(code, district) : undefined;
  if (!note) return view;
  return { ...view, factChecks: checks.map((check) => (check.fact === 'registeredDistrict' ? { ...check, note } : check)) };
}

async function registeredCreditCodeOf(db: Db, accountId: string): Promise<string | undefined> {
  const account = await db.selectFrom('accounts').select('profile').where('account_id', '=', accountId).executeTakeFirst();
  return account ? registeredCompanyOf(account.profile as Record<string, unknown>)?.unifiedSocialCreditCode : undefined;
}
