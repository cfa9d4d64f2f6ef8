import { sql, type Kysely } from 'kysely';

/**
 * A filing's case page and its colleagues name a claim the supervising official (分管领导) holds as
 * the supervisor's: each review round in `details.rounds` says `reviewerDuty: 'supervisor'`, and the
 * step's 下一步 reads 分管领导 周分管 审查 (cases/drama-filing.case.ts, domain/drama-filing/decide.ts).
 * Since this change a claim by the supervisor records it (`claimedAs`, patched
 * 'filing-claim-records-duty'); before it, a supervisor's claim is known only where it was a take-over
 * (`takenOverFrom` in the round's state, migration 2026-12-04T06-30). The rows folded before get the
 * words for those rounds here, as the projection now writes them, so that the auditor's rebuild finds
 * no difference. A frozen copy: nothing of domain/ is read.
 */
const FILING_TYPES = ['drama-planning-filing', 'drama-release-filing'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET details = jsonb_set(c.details, '{rounds}', (
             SELECT coalesce(jsonb_agg(CASE WHEN held.by_supervisor THEN x.r || '{"reviewerDuty":"supervisor"}'::jsonb ELSE x.r END ORDER BY x.ord), '[]'::jsonb)
               FROM jsonb_array_elements(c.details->'rounds') WITH ORDINALITY AS x(r, ord)
               LEFT JOIN LATERAL (
                 SELECT bool_or(s ? 'reviewer' AND (s ? 'takenOverFrom' OR s->>'claimedAs' = 'supervisor')) AS by_supervisor
                   FROM jsonb_array_elements(c.state->'rounds') AS s
                  WHERE s->'round' = x.r->'round'
               ) held ON true))
     WHERE c.case_type IN (${sql.join(FILING_TYPES)})
       AND jsonb_typeof(c.details->'rounds') = 'array'
       AND jsonb_typeof(c.state->'rounds') = 'array'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.state->'rounds') AS s WHERE s ? 'takenOverFrom' OR s->>'claimedAs' = 'supervisor')`.execute(db);
  await sql`
    UPDATE cases c
       SET details = jsonb_set(c.details, '{waitingFor,note}', to_jsonb('分管领导 ' || (c.details->'waitingFor'->>'note')))
     WHERE c.case_type IN (${sql.join(FILING_TYPES)})
       AND c.status = 'in-review'
       AND jsonb_typeof(c.state->'rounds') = 'array'
       AND (c.state->'rounds'->-1) ? 'reviewer'
       AND ((c.state->'rounds'->-1) ? 'takenOverFrom' OR (c.state->'rounds'->-1)->>'claimedAs' = 'supervisor')
       AND jsonb_typeof(c.details->'waitingFor'->'note') = 'string'
       AND left(c.details->'waitingFor'->>'note', 5) <> '分管领导 '`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET details = jsonb_set(c.details, '{waitingFor,note}', to_jsonb(substr(c.details->'waitingFor'->>'note', 6)))
     WHERE c.case_type IN (${sql.join(FILING_TYPES)})
       AND c.status = 'in-review'
       AND jsonb_typeof(c.details->'waitingFor'->'note') = 'string'
       AND left(c.details->'waitingFor'->>'note', 5) = '分管领导 '`.execute(db);
  await sql`
    UPDATE cases c
       SET details = jsonb_set(c.details, '{rounds}', (
             SELECT coalesce(jsonb_agg(x.r - 'reviewerDuty' ORDER BY x.ord), '[]'::jsonb)
               FROM jsonb_array_elements(c.details->'rounds') WITH ORDINALITY AS x(r, ord)))
     WHERE c.case_type IN (${sql.join(FILING_TYPES)})
       AND jsonb_typeof(c.details->'rounds') = 'array'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.details->'rounds') AS r WHERE r ? 'reviewerDuty')`.execute(db);
}
