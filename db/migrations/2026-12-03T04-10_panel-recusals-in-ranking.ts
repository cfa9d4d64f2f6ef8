import { sql, type Kysely } from 'kysely';

/**
 * A call's ranking names who recused from each application (`recused`, domain/panels/decide.ts
 * rankingView), so that an expert, who may not read the call's events, sees whether an application
 * they are done with was scored or recused from. Rows projected before have it written once here,
 * from the panel's declarations in the stored state, in the order the projection writes it, so that
 * the auditor's drift check (a rebuild compared with the stored rows) finds no difference on a
 * deployment that upgrades.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{panel,ranking}', (
             SELECT jsonb_agg(r || jsonb_build_object('recused', coalesce((
                      SELECT jsonb_agg(d->'member'->'displayName' ORDER BY d_at)
                        FROM jsonb_array_elements(state->'panel'->'declarations') WITH ORDINALITY AS declared(d, d_at)
                       WHERE d->>'caseId' = r->>'caseId' AND d->'conflicted' = 'true'::jsonb), '[]'::jsonb))
                    ORDER BY r_at)
               FROM jsonb_array_elements(details->'panel'->'ranking') WITH ORDINALITY AS ranked(r, r_at)))
     WHERE case_type = 'call'
       AND jsonb_typeof(details->'panel'->'ranking') = 'array'
       AND jsonb_array_length(details->'panel'->'ranking') > 0
       AND jsonb_typeof(state->'panel'->'declarations') = 'array'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{panel,ranking}', (
             SELECT jsonb_agg(r - 'recused' ORDER BY r_at)
               FROM jsonb_array_elements(details->'panel'->'ranking') WITH ORDINALITY AS ranked(r, r_at)))
     WHERE case_type = 'call'
       AND jsonb_typeof(details->'panel'->'ranking') = 'array'
       AND jsonb_array_length(details->'panel'->'ranking') > 0`.execute(db);
}
