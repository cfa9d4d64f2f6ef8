import { sql, type Kysely } from 'kysely';

/**
 * A funded item as the ledger compares it, in PostgreSQL: `item_match_key(item_id)`, the twin of
 * domain/programmes/stacking.ts `itemMatchKey`. New in it: an item that holds a 备案号 of the system's
 * own (BA, a year 20xx and up to six digits, however typed and wherever it sits) is that drama, so
 * that "备案号BA-2026-000001" and "ba 2026 1" find the award of BA-2026-000001. An outside tester's
 * drama funded under 沪8条 was funded again under 徐汇 by typing the number so, with no 叠加资助待审核.
 * Otherwise as before: the drama prefix `content-item:` dropped, the typed separators removed, Latin
 * letters upper-cased. Frozen copies of the patterns (domain/text/typed-separators.ts and
 * domain/drama-filing/filing-number.ts `systemFilingNo`); test/db/item-match-key.test.ts holds the
 * two keys equal over seeded item ids. Stored keys are unchanged: only comparisons fold them.
 */
const SEPARATORS = '[\\s\\u00B7\\u2010-\\u2015\\u2018\\u2019\\u201C\\u201D\\u2026\\u2212\\u3000-\\u3004\\u3008-\\u303F\\uFE58\\uFE63()#./:_~-]+';
const FILING_NO_JOINED = '(?<![A-Z0-9])BA[^A-Z0-9]*(20[0-9]{2})([0-9]{6})(?![A-Z0-9])';
const FILING_NO_APART = '(?<![A-Z0-9])BA[^A-Z0-9]*(20[0-9]{2})[^A-Z0-9]+([0-9]{1,6})(?![A-Z0-9])';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION item_match_key(p_item_id text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE
               WHEN joined IS NOT NULL THEN 'BA' || joined[1] || joined[2]
               WHEN apart IS NOT NULL THEN 'BA' || apart[1] || lpad(apart[2], 6, '0')
               ELSE upper(regexp_replace(item, ${sql.lit(SEPARATORS)}, '', 'g') COLLATE "C")
             END
        FROM (SELECT item,
                     regexp_match(upper(item COLLATE "C"), ${sql.lit(FILING_NO_JOINED)}) AS joined,
                     regexp_match(upper(item COLLATE "C"), ${sql.lit(FILING_NO_APART)}) AS apart
                FROM (SELECT regexp_replace(normalize(p_item_id, NFKC), '^content-item:', '') AS item) AS stated) AS matched
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION item_match_key(text)`.execute(db);
}
