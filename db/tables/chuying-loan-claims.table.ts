import type { Generated } from 'kysely';

/** Which case holds a company's one 雏鹰 loan (db/chuying-loan-claims.ts). */
export interface ChuyingLoanClaimsTable {
  /** 统一社会信用代码. */
  company_code: string;
  case_id: string;
  reference_no: string;
  claimed_at: Generated<Date>;
}
