import { sql, type Kysely } from 'kysely';

/**
 * The decision step's note on an application (`details.waitingFor.note`, 下一步由谁办理) gives the
 * director's threshold with its unit: 超过 1,000,000.00元须处长审批, not 超过 1,000,000.00 须处长审批
 * (domain/applications/decide.ts applicationNextStep). Rows projected before carry the old words; they
 * get the new ones here, as the projection now writes them, so that the auditor's rebuild of the read
 * models finds no difference.
 */
const NOTE = `details->'waitingFor'->>'note'`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{waitingFor,note}', to_jsonb(regexp_replace(${sql.raw(NOTE)}, '超过 ([0-9,]+\\.[0-9]{2}) 须处长审批', '超过 \\1元须处长审批')))
     WHERE case_type = 'application' AND ${sql.raw(NOTE)} ~ '^决策（.*超过 [0-9,]+\\.[0-9]{2} 须处长审批'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{waitingFor,note}', to_jsonb(regexp_replace(${sql.raw(NOTE)}, '超过 ([0-9,]+\\.[0-9]{2})元须处长审批', '超过 \\1 须处长审批')))
     WHERE case_type = 'application' AND ${sql.raw(NOTE)} ~ '^决策（.*超过 [0-9,]+\\.[0-9]{2}元须处长审批'`.execute(db);
}
