import { sql, type Kysely } from 'kysely';

/**
 * A competitive call whose list the director approved is labelled 已提前截止，名单已批准 (or
 * 申报期已结束，名单已批准), no longer by how it closed alone, which read as pending (cases/call.case.ts
 * callNextStep). The rows projected before are written as the read model now writes them — the
 * label and the next step in its details — so that the auditor's rebuild finds them as they are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET status_label = status_label || '，名单已批准',
           details = jsonb_set(details, '{next,label}', to_jsonb(coalesce(details->'next'->>'label', status_label) || '，名单已批准'))
     WHERE case_type = 'call'
       AND status IN ('closed', 'ended')
       AND state->>'mode' = 'competitive'
       AND state->'panel'->>'status' = 'approved'
       AND status_label NOT LIKE '%，名单已批准'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET status_label = replace(status_label, '，名单已批准', ''),
           details = jsonb_set(details, '{next,label}', to_jsonb(replace(details->'next'->>'label', '，名单已批准', '')))
     WHERE case_type = 'call' AND status_label LIKE '%，名单已批准'`.execute(db);
}
