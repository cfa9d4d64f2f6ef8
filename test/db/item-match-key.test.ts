import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemMatchKeyInSql, ledgerAwards } from '../../db/awards-ledger.js';
import { itemMatchKey, sameFundedItem } from '../../domain/programmes/stacking.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { seededStrings } from '../support/seeded-strings.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** What a funded item's key is made of: a measure's word, the identifying facts (a lender, a contract number, a 备案号), letters and digits weighted up. */
const ALPHABET = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.repeat(3),
  ...' |()#./:_-·‐‑‒–—―‘’“”…　、。〃々〆〇〈〉《》「」『』【】〜',
  ...'ＡＢＣａｂｃ０１２９－＿．／：（）＃～',
  ...'上海银行杨浦支行剧集七八沪网微剧备字',
  ...'äéßΩжЖ',
];

describe('the funded item as the ledger compares it', () => {
  it('is one loan whatever separators, width and letter case its contract number is typed with, and two loans for two numbers', () => {
    const one = ['loan:上海银行杨浦支行|HE-G-001', 'loan:上海银行杨浦支行|HEG001', 'loan:上海银行杨浦支行|heg 001', 'loan:上海银行杨浦支行|ＨＥ－Ｇ－００１', 'loan:上海银行杨浦支行|HE—G—001', 'loan:上海银行杨浦支行|HE_G/001'];
    expect(new Set(one.map(itemMatchKey)).size).toBe(1);
    expect(sameFundedItem('loan:上海银行杨浦支行|HE-G-001', 'loan:上海银行杨浦支行|HE-G-002')).toBe(false);
    expect(sameFundedItem('loan:上海银行杨浦支行|HE-G-001', 'loan:上海银行黄浦支行|HE-G-001')).toBe(false);
    // Letters other than Latin keep their case, as PostgreSQL's key (below) does.
    expect(sameFundedItem('ä-1', 'Ä1')).toBe(false);
  });

  it('gives in PostgreSQL the key itemMatchKey gives, over 2,000 seeded item ids', async () => {
    const seeded = [...seededStrings(ALPHABET, { count: 2_000, maxLength: 30, seed: 20261206 })];
    // Half of them as a drama's key (沪8条: content-item:<备案号>), which compares as the bare number.
    const all = seeded.map((item, i) => (i % 2 === 0 ? `content-item:${item}` : item));
    const { rows } = await sql<{ given: string; key: string }>`SELECT item_id AS given, ${itemMatchKeyInSql} AS key FROM unnest(${all}::text[]) AS t(item_id)`.execute(database.db);
    const differ = rows.filter((r) => r.key !== itemMatchKey(r.given)).map((r) => `${JSON.stringify(r.given)}: SQL ${JSON.stringify(r.key)}, JS ${JSON.stringify(itemMatchKey(r.given))}`);
    expect(differ).toEqual([]);
    expect(rows).toHaveLength(2_000);
  });

  it('finds an award stored under one spelling when asked under another', async () => {
    const caseId = '00000000-0000-4000-8000-00000000a001';
    await database.db
      .insertInto('awards')
      .values({ award_id: 'award-he-g-001', case_id: caseId, applicant_account_id: '00000000-0000-4000-8000-00000000b001', programme_id: 'yangpu-loan-interest-subsidy', catalogue_version: '2026-11-23', item_id: 'loan:上海银行杨浦支行|HE-G-001', amount_fen: 5_000_000, awarded_on: '2026-06-30', recorded_at: new Date('2026-06-30T02:00:00Z') })
      .execute();
    expect((await ledgerAwards(database.db, { itemId: 'loan:上海银行杨浦支行|heg001' })).map((a) => a.awardId)).toEqual(['award-he-g-001']);
    expect(await ledgerAwards(database.db, { itemId: 'loan:上海银行杨浦支行|HE-G-002' })).toEqual([]);
  });

  it('finds a drama’s 沪8条 award (content-item:<备案号>) under the 备案号 stated as another measure’s item, and the other way round', async () => {
    const award = (awardId: string, programmeId: string, itemId: string) => ({
      award_id: awardId, case_id: '00000000-0000-4000-8000-00000000a002', applicant_account_id: '00000000-0000-4000-8000-00000000b002', programme_id: programmeId, catalogue_version: '2026-12-03', item_id: itemId, amount_fen: 100_000_000, awarded_on: '2026-06-30', recorded_at: new Date('2026-06-30T02:00:00Z'),
    });
    await database.db.insertInto('awards').values([award('award-hu8-drama', 'drama-excellent-project', 'content-item:BA-2026-000777'), award('award-xuhui-drama', 'xuhui-quality-works', 'BA-2026-000888')]).execute();
    expect((await ledgerAwards(database.db, { itemId: 'ba 2026 000777' })).map((a) => a.awardId)).toEqual(['award-hu8-drama']);
    expect((await ledgerAwards(database.db, { itemId: 'content-item:BA-2026-000888' })).map((a) => a.awardId)).toEqual(['award-xuhui-drama']);
    expect(await ledgerAwards(database.db, { itemId: 'BA-2026-000779' })).toEqual([]);
  });

  it('finds the award of a 备案号 of the system’s own however the item states it: with words around it, in other case and width, with its sequence short', async () => {
    const award = { award_id: 'award-hu8-ba-1', case_id: '00000000-0000-4000-8000-00000000a003', applicant_account_id: '00000000-0000-4000-8000-00000000b003', programme_id: 'drama-excellent-project', catalogue_version: '2026-12-03', item_id: 'content-item:BA-2026-000001', amount_fen: 20_000_000, awarded_on: '2026-12-06', recorded_at: new Date('2026-12-06T02:00:00Z') };
    await database.db.insertInto('awards').values(award).execute();
    // As an outside tester typed them under 徐汇's 优质作品, each funded again with no 叠加资助待审核.
    for (const stated of ['备案号BA-2026-000001', 'ba 2026 1', 'No.BA-2026-000001', 'BA-2026-000001（规划备案）', 'ＢＡ－２０２６－０００００１', 'BA2026000001']) {
      expect((await ledgerAwards(database.db, { itemId: stated })).map((a) => a.awardId), stated).toEqual(['award-hu8-ba-1']);
      expect(sameFundedItem(stated, award.item_id), stated).toBe(true);
    }
    // Another number, and an id with "ba" inside it, are other items.
    for (const other of ['BA-2026-000002', 'BA-2025-000001', 'drama-ba20-26000001', 'XBA-2026-000001']) {
      expect((await ledgerAwards(database.db, { itemId: other })).filter((a) => a.awardId === 'award-hu8-ba-1'), other).toEqual([]);
    }
  });

  it('gives in PostgreSQL the key itemMatchKey gives for item ids holding 备案号-like text, over 2,000 seeded ones', async () => {
    const PARTS = ['BA', 'ba', 'ＢＡ', 'XBA', '2026', '2099', '1999', '20', '000001', '12', '1234567', '-', ' ', '号', '备案', '（', '）', 'No.', 'a', '7'];
    let seed = 20261207;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const items = Array.from({ length: 2_000 }, (_, i) => {
      const text = Array.from({ length: 1 + (next() % 7) }, () => PARTS[next() % PARTS.length]).join('');
      return i % 3 === 0 ? `content-item:${text}` : text;
    });
    const { rows } = await sql<{ given: string; key: string }>`SELECT item_id AS given, ${itemMatchKeyInSql} AS key FROM unnest(${items}::text[]) AS t(item_id)`.execute(database.db);
    const differ = rows.filter((r) => r.key !== itemMatchKey(r.given)).map((r) => `${JSON.stringify(r.given)}: SQL ${JSON.stringify(r.key)}, JS ${JSON.stringify(itemMatchKey(r.given))}`);
    expect(differ).toEqual([]);
    // Many of them hold a number of the system's format: the case the new rule is about.
    expect(rows.filter((r) => /^BA20\d{8}$/.test(r.key)).length).toBeGreaterThan(25);
  });

  it('is one loan whether its lender is written with its legal form or without, and a contract number like a 备案号 is still a contract', async () => {
    expect(sameFundedItem('loan:上海银行|HT-1', 'loan:上海银行股份有限公司|HT-1')).toBe(true);
    expect(sameFundedItem('loan:上海银行杨浦支行|HT-1', 'loan:上海银行股份有限公司杨浦支行|ht 1')).toBe(true);
    expect(sameFundedItem('loan:上海银行|HT-1', 'loan:上海农商银行|HT-1')).toBe(false);
    expect(sameFundedItem('loan:上海银行|BA-2026-000001', 'content-item:BA-2026-000001')).toBe(false);
    const award = { award_id: 'award-hu9-interest', case_id: '00000000-0000-4000-8000-00000000a004', applicant_account_id: '00000000-0000-4000-8000-00000000b004', programme_id: 'hu9-loan-interest-subsidy', catalogue_version: '2026-12-03', item_id: 'loan:上海银行|HT-1', amount_fen: 10_000_000, awarded_on: '2026-12-06', recorded_at: new Date('2026-12-06T02:00:00Z') };
    await database.db.insertInto('awards').values(award).execute();
    expect((await ledgerAwards(database.db, { itemId: 'loan:上海银行股份有限公司|HT-1' })).map((a) => a.awardId)).toEqual(['award-hu9-interest']);
    expect(await ledgerAwards(database.db, { itemId: 'loan:上海农商银行|HT-1' })).toEqual([]);
  });

  it('gives in PostgreSQL the key itemMatchKey gives for loan keys, over 1,000 seeded ones', async () => {
    const LENDERS = ['上海银行', '上海银行股份有限公司', '中国工商银行有限公司', '有限公司', '杨浦支行', '股份', 'Bank', '|', ' ', '-', 'BA-2026-1'];
    let seed = 20261208;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const pick = (parts: readonly string[], n: number) => Array.from({ length: n }, () => parts[next() % parts.length]).join('');
    const items = Array.from({ length: 1_000 }, () => `loan:${pick(LENDERS, 1 + (next() % 3))}|${pick(['HT', '-', '1', 'ba 2026 000001', '有限公司', ' '], 1 + (next() % 4))}`);
    const { rows } = await sql<{ given: string; key: string }>`SELECT item_id AS given, ${itemMatchKeyInSql} AS key FROM unnest(${items}::text[]) AS t(item_id)`.execute(database.db);
    const differ = rows.filter((r) => r.key !== itemMatchKey(r.given)).map((r) => `${JSON.stringify(r.given)}: SQL ${JSON.stringify(r.key)}, JS ${JSON.stringify(itemMatchKey(r.given))}`);
    expect(differ).toEqual([]);
  });
});
