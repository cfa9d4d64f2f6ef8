import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
/**
 * `name_sort_key(name)`: a name as the lists sort it under `chinese_pinyin`. The pinyin order reads
 * each character by its most common reading, which for some surnames is not the surname's: 曾 sorts
 * as céng (among C), 单 as dān, 解 as jiě, 仇 as chóu, 区 as qū, 查 as chá, 朴 as pǔ, 覃 as tán … so an
 * official looking for 曾晓 under Z does not find them. A person's name (two to four characters) whose
 * first character is such a surname sorts with a character of the surname's reading in its place
 * (曾 as 增 zēng, 单 as 善 shàn …); anything longer (a company, a team) sorts as it is written.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION name_sort_key(name text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT CASE
          WHEN char_length(name) BETWEEN 2 AND 4 AND strpos('曾单解仇区查朴覃缪翟乐盖召秘种折员繁沈薄句隗', left(name, 1)) > 0
            THEN translate(left(name, 1), '曾单解仇区查朴覃缪翟乐盖召秘种折员繁沈薄句隗', '增善谢求欧渣嫖秦妙宅月葛邵必虫舌运婆审博勾伟') || substr(name, 2)
          ELSE name
        END
      $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION name_sort_key(text)`.execute(db);
}
