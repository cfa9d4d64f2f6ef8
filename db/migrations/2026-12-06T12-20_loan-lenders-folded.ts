import { sql, type Kysely } from 'kysely';

/**
 * `item_match_key` (migration 2026-12-06T12-10) folds a loan's lender as domain/programmes/stacking.ts
 * `itemMatchKey` now does: the words of a company's legal form (股份有限公司, 有限责任公司, 有限公司) are
 * dropped from the lender part of `loan:<lender>|<contract number>`, so 上海银行 and 上海银行股份有限公司 lend
 * one loan. An outside tester's loan was subsidised by 沪九条 and then by 杨浦 beyond the interest paid,
 * its lender written the two ways. And a loan's key is never read as a drama's 备案号 (a contract numbered
 * BA-2026-000001 is a contract). Frozen copies of the patterns; stored keys are unchanged.
 */
const SEPARATORS = '[\\s\\u00B7\\u2010-\\u2015\\u2018\\u2019\\u201C\\u201D\\u2026\\u2212\\u3000-\\u3004\\u3008-\\u303F\\uFE58\\uFE63()#./:_~-]+';
const FILING_NO_JOINED = '(?<![A-Z0-9])BA[^A-Z0-9]*(20[0-9]{2})([0-9]{6})(?![A-Z0-9])';
const FILING_NO_APART = '(?<![A-Z0-9])BA[^A-Z0-9]*(20[0-9]{2})[^A-Z0-9]+([0-9]{1,6})(?![A-Z0-9])';
const LEGAL_FORM = '股份有限公司|有限责任公司|有限公司';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION item_match_key(p_item_id text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE
               WHEN item LIKE 'loan:%' THEN upper(regexp_replace(
                      regexp_replace(substring(item FROM '^loan:[^|]*'), ${sql.lit(LEGAL_FORM)}, '', 'g') || substr(item, length(substring(item FROM '^loan:[^|]*')) + 1),
                      ${sql.lit(SEPARATORS)}, '', 'g') COLLATE "C")
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
  const { down: dropped, up: asBefore } = await import('./2026-12-06T12-10_drama-items-by-filing-number.js');
  await dropped(db);
  await asBefore(db);
}
