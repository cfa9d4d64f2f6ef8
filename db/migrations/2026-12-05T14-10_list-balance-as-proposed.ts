import { sql, type Kysely } from 'kysely';

/**
 * A call's proposed list says the budget balance it was proposed against (提出名单时预算余额), as the
 * projection now writes it (domain/panels/decide.ts describeList). Once the list was approved, its
 * commitments lowered the ledger's 剩余, and an outsider read 预算余额 1,000,000.00 beside 剩余
 * 600,000.00 as the two disagreeing. Rows projected before are rewritten to the same words.
 */
const BEFORE = '（预算余额 ';
const AFTER = '（提出名单时预算余额 ';

async function rewrite(db: Kysely<any>, from: string, to: string): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{panel,list,summary}', to_jsonb(replace(details -> 'panel' -> 'list' ->> 'summary', ${from}, ${to})))
     WHERE case_type = 'call'
       AND jsonb_typeof(details -> 'panel' -> 'list') = 'object'
       AND strpos(details -> 'panel' -> 'list' ->> 'summary', ${from}) > 0`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db, BEFORE, AFTER);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rewrite(db, AFTER, BEFORE);
}
