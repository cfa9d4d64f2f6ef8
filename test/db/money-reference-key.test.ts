import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looseReferenceKey } from '../../domain/chuying/money.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seededStrings } from '../support/seeded-strings.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** What the reference field takes (cases/fields.ts referenceText), letters and digits weighted up. */
const ALPHABET = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.repeat(3),
  ...' ()#./:_-·‐‑‒–—―‘’“”…　、。〃々〆〇〈〉《》「」『』【】〒〓〔〕〖〗〘〙〚〛〜〝〞〟〰〱〿',
  ...'ＡＢＣａｂｃ０１２９－＿．／：（）＃～',
  ...'工商银行流水号',
];

describe('money_reference_key, the database’s twin of looseReferenceKey', () => {
  it('folds the slips’ spellings of one reference to one key, and keeps 〇 々 〆 and letters and digits apart', () => {
    const one = ['ICBC-2026-0001', 'ICBC‐2026‐0001', 'ICBC—2026—0001', 'ICBC〜2026〜0001', 'ICBC_2026_0001', 'icbc 2026 0001', 'ＩＣＢＣ－２０２６－０００１', 'ICBC/2026/0001', 'ICBC.2026.0001', '（ICBC）2026·0001'];
    expect(new Set(one.map(looseReferenceKey))).toEqual(new Set(['ICBC20260001']));
    expect(looseReferenceKey('ICBC-2026-0002')).not.toBe(looseReferenceKey('ICBC-2026-0001'));
    expect(looseReferenceKey('A〇1')).toBe('A〇1');
  });

  it('gives the key looseReferenceKey gives, over 2,000 seeded references of the field’s alphabet', async () => {
    const all = [...seededStrings(ALPHABET, { count: 2_000, maxLength: 24, seed: 20261205 })];
    const { rows } = await sql<{ given: string; key: string }>`SELECT r AS given, money_reference_key(r) AS key FROM unnest(${all}::text[]) AS r`.execute(database.db);
    const differ = rows.filter((r) => r.key !== looseReferenceKey(r.given)).map((r) => `${JSON.stringify(r.given)}: SQL ${JSON.stringify(r.key)}, JS ${JSON.stringify(looseReferenceKey(r.given))}`);
    expect(differ).toEqual([]);
    expect(rows).toHaveLength(2_000);
  });
});
