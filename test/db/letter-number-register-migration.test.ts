import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as letterNumbersByRegister from '../../db/migrations/2026-12-05T10-00_letter-numbers-by-register.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const letter = (letterNo: string) => ({
  letter_id: randomUUID(),
  case_id: randomUUID(),
  letter_no: letterNo,
  title: '资助决定书',
  decision: 'approve',
  position: 4,
  event_type: 'FundingApproved',
  decided_on: '2026-12-05',
  content: '{}',
  sha256: 'a'.repeat(64),
  pdf: Buffer.from('%PDF-1.3'),
  created_at: new Date(),
});

describe('migration 2026-12-05T10-00 (文号 from a register)', () => {
  it('goes up over letters that share an old-style number (a decision retried after its letter was stored), and keeps the register’s numbers unique', async () => {
    await letterNumbersByRegister.down(database.ownerDb);
    const oldStyle = '杨V基金决〔2026〕CY-2026-000001-4号';
    await database.db.insertInto('decision_letters').values([letter(oldStyle), letter(oldStyle)]).execute();
    await letterNumbersByRegister.up(database.ownerDb);

    await database.db.insertInto('decision_letters').values(letter('杨V基金决〔2026〕1号')).execute();
    await expect(database.db.insertInto('decision_letters').values(letter('杨V基金决〔2026〕1号')).execute()).rejects.toThrow(/decision_letters_letter_no_key/);
    expect(await database.db.selectFrom('letter_number_register').selectAll().execute()).toEqual([]);
  });
});
