import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchWorklist } from '../../db/queries/worklist.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Sorting by applicant (the queues' 申请人 column) reads a person's surname as a surname
 * (migration 2026-12-05T10-10, `name_sort_key`): the pinyin order alone puts 曾 among C (céng), 沈 among
 * C (chén), 单 among D, 解 among J, 仇 among C, 区 among Q, 查 among C, 朴 among P (pǔ), 覃 among T, 翟
 * among D (dí).
 */
let database: TestDatabase;
/** Each person, and how the surname reads (a character of that reading in its place), spelled out here. */
const PEOPLE: Record<string, string> = {
  曾晓: '增晓', 沈一: '审一', 单田: '善田', 解放: '谢放', 仇英: '求英', 区伟: '欧伟', 查理: '渣理', 朴槿: '嫖槿', 覃琴: '秦琴', 翟明: '宅明',
  张三: '张三', 蔡明: '蔡明', 赵四: '赵四', 谢谢: '谢谢', 邱丘: '邱丘', 欧阳娜: '欧阳娜', 秦青: '秦青', 陈晨: '陈晨', 邓丁: '邓丁',
};
// A company is not a person: a long name is sorted as it is written, whatever its first character.
const COMPANIES = ['上海曾氏文化传媒有限公司', '单向街文化传播工作室', '沈阳路文化传媒有限公司'];

beforeAll(async () => {
  database = await createTestDatabase();
  const names = [...Object.keys(PEOPLE), ...COMPANIES];
  await database.ownerDb
    .insertInto('cases')
    .values(
      names.map((name, i) => ({
        case_id: randomUUID(),
        reference_no: `NS-2026-${String(i + 1).padStart(6, '0')}`,
        case_type: 'application',
        applicant_account_id: 'demo-applicant',
        applicant_name: name,
        status: 'completeness-check',
        status_label: '材料审查',
        waiting_for_role: 'official',
        waiting_for_department: 'huangpu',
        requested_fen: 0,
        outstanding_fen: 0,
        next_deadline_at: null,
        version: 1,
        opened_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        updated_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        state: '{}',
        programme_id: 'huangpu-creator-reward',
        details: JSON.stringify({ titleAndSummary: { title: '项目', summary: '' } }),
        department: 'huangpu',
        departments: ['huangpu'],
      })) as never,
    )
    .execute();
});
afterAll(() => database?.drop());

const sortedBy = async (order: 'asc' | 'desc') =>
  (
    await searchWorklist(database.db, {
      scope: (eb) => eb('cases.department', '=', 'huangpu'),
      sort: { by: 'applicant', order },
      defaultOrder: 'queue',
      page: 1,
      pageSize: 100,
      clock: { startOfToday: new Date(), dueSoonUntil: new Date() },
    })
  ).rows.map((r) => r.applicant_name);

describe('the queue sorted by applicant', () => {
  it('files each person under their surname’s reading, a company as written, either way', async () => {
    // The order this database's pinyin collation gives the names as they read: a person by the spelled-out reading.
    const reading = (name: string) => PEOPLE[name] ?? name;
    const names = [...Object.keys(PEOPLE), ...COMPANIES];
    const { rows } = await sql<{ key: string }>`SELECT key FROM unnest(${names.map(reading)}::text[]) AS key ORDER BY key COLLATE chinese_pinyin`.execute(database.db);
    const expected = rows.map(({ key }) => names.find((n) => reading(n) === key)!);
    expect(await sortedBy('asc')).toEqual(expected);
    expect(await sortedBy('desc')).toEqual([...expected].reverse());
  });

  it('puts 曾 among Z, 沈 among S, 单 among S, 解 among X, 翟 among Z, not where their common readings would', async () => {
    const order = await sortedBy('asc');
    const before = (a: string, b: string) => expect(order.indexOf(a), `${a} before ${b}`).toBeLessThan(order.indexOf(b));
    before('谢谢', '曾晓');
    before('曾晓', '张三');
    before('邓丁', '沈一');
    before('单田', '沈一');
    before('沈一', '谢谢');
    before('解放', '谢谢');
    before('查理', '翟明');
    before('翟明', '张三');
    before('陈晨', '查理');
    before('查理', '张三');
    before('蔡明', '区伟');
    before('秦青', '仇英');
  });

  it('reads only the first character, only of a name of two to four characters', async () => {
    const key = async (name: string) => (await sql<{ key: string }>`SELECT name_sort_key(${name}) AS key`.execute(database.db)).rows[0]!.key;
    expect(await key('曾晓')).toBe('增晓');
    expect(await key('单曾')).toBe('善曾');
    expect(await key('曾')).toBe('曾');
    expect(await key('曾氏文化传媒')).toBe('曾氏文化传媒');
    expect(await key('张三')).toBe('张三');
  });
});
