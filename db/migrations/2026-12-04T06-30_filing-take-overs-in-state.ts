import { sql, type Kysely } from 'kysely';

/**
 * A filing's review round keeps whom its reviewer took the claim over from (domain/drama-filing/state.ts
 * `takenOverFrom`): only the supervising official (分管领导) takes a claimed filing over, and a colleague
 * who then tries to claim it is told that the supervisor has it (本备案已由分管领导 … 接手办理), not asked
 * to have the supervisor take it over. The rows folded before lack it in their stored state; the last
 * claim of each round, as the events record it, gives it here, as the fold now writes it, so that the
 * auditor's rebuild of the read models finds no difference. A frozen copy: nothing of domain/ is read.
 */
const FILING_TYPES = ['drama-planning-filing', 'drama-release-filing'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET state = jsonb_set(c.state, '{rounds}', (
             SELECT coalesce(jsonb_agg(CASE WHEN claim.taken_over_from IS NULL THEN r ELSE r || jsonb_build_object('takenOverFrom', claim.taken_over_from) END ORDER BY x.ord), '[]'::jsonb)
               FROM jsonb_array_elements(c.state->'rounds') WITH ORDINALITY AS x(r, ord)
               LEFT JOIN LATERAL (
                 SELECT e.payload->'takenOverFrom' AS taken_over_from
                   FROM events e
                  WHERE e.stream_id = c.case_id::text
                    AND e.event_type = 'FilingClaimed'
                    AND (e.payload->>'round')::int = (x.r->>'round')::int
                  ORDER BY e.global_position DESC
                  LIMIT 1
               ) claim ON true))
     WHERE c.case_type IN (${sql.join(FILING_TYPES)})
       AND jsonb_typeof(c.state->'rounds') = 'array'
       AND EXISTS (SELECT 1 FROM events e WHERE e.stream_id = c.case_id::text AND e.event_type = 'FilingClaimed' AND e.payload ? 'takenOverFrom')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET state = jsonb_set(c.state, '{rounds}', (
             SELECT coalesce(jsonb_agg(x.r - 'takenOverFrom' ORDER BY x.ord), '[]'::jsonb)
               FROM jsonb_array_elements(c.state->'rounds') WITH ORDINALITY AS x(r, ord)))
     WHERE c.case_type IN (${sql.join(FILING_TYPES)})
       AND jsonb_typeof(c.state->'rounds') = 'array'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.state->'rounds') AS r WHERE r ? 'takenOverFrom')`.execute(db);
}
