import { sql, type Kysely } from 'kysely';

/**
 * A call's ranking numbers only the applications with the valid scores its panel needs
 * (domain/panels/decide.ts rankingView): those first, numbered 1, 2, … in their order of merit; one
 * scored by fewer has no number (`rank` null, 暂不排名) and comes after them. An outside tester read
 * 第 1 名 on an application one expert of the two needed had scored. Rows projected before are
 * rewritten here the way the projection now writes them, so that the auditors' rebuild finds no
 * difference on a deployment that upgrades: the stored order of merit is kept within each group.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{panel,ranking}', (
             SELECT coalesce(jsonb_agg(x.r || jsonb_build_object('rank', x.new_rank) ORDER BY x.unranked, x.r_at), '[]'::jsonb)
               FROM (SELECT r, r_at,
                            (r->>'rankable') IS DISTINCT FROM 'true' AS unranked,
                            CASE WHEN r->>'rankable' = 'true'
                                 THEN row_number() OVER (PARTITION BY r->>'rankable' = 'true' ORDER BY r_at) END AS new_rank
                       FROM jsonb_array_elements(details->'panel'->'ranking') WITH ORDINALITY AS ranked(r, r_at)) AS x))
     WHERE case_type = 'call'
       AND jsonb_typeof(details->'panel'->'ranking') = 'array'
       AND jsonb_array_length(details->'panel'->'ranking') > 0`.execute(db);
}

/** Back to one numbering of every row, in the order of merit the ranking sorts by (aggregate, heaviest criterion, submission, reference). */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{panel,ranking}', (
             SELECT coalesce(jsonb_agg(x.r || jsonb_build_object('rank', x.new_rank) ORDER BY x.new_rank), '[]'::jsonb)
               FROM (SELECT r, row_number() OVER (ORDER BY (r->>'aggregate')::numeric DESC, (r->>'heaviestCriterion')::numeric DESC, (r->>'submittedAt')::timestamptz, r->>'referenceNo' COLLATE "C") AS new_rank
                       FROM jsonb_array_elements(details->'panel'->'ranking') AS ranked(r)) AS x))
     WHERE case_type = 'call'
       AND jsonb_typeof(details->'panel'->'ranking') = 'array'
       AND jsonb_array_length(details->'panel'->'ranking') > 0`.execute(db);
}
