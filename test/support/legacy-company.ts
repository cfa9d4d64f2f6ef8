import { sql } from 'kysely';
import type { Db } from '../../db/client.js';

/**
 * Makes the demo company `creator` an account from before codes were registered on accounts: the
 * tests that use it open many loans and applications, each under a company (统一社会信用代码) of its
 * own, which an account registered for one company may not (domain/accounts/applicant-company.ts).
 * The rule itself is tested with accounts that keep their code (test/api/applicant-company.api.test.ts).
 */
export async function unregisterDemoCompany(db: Db): Promise<void> {
  await sql`UPDATE accounts SET profile = profile - 'company' WHERE username = 'creator'`.execute(db);
}
