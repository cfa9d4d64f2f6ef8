import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as toldOnce from '../../db/migrations/2026-12-05T02-20_left-yangpu-told-once.js';
import { appendToStream } from '../../db/event-store.js';
import { backfillNotices, LEFT_YANGPU_TOLD_ONCE_NOTICES_MIGRATION, noticesToBackfill } from '../../db/notices/backfill.js';
import { noticeIdOf } from '../../db/notices/notice-projection.js';
import { seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newEvent, plainCaseRow } from './support.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoAccounts(database.db, new Date('2026-12-01T00:00:00Z'));
});
afterAll(() => database?.drop());

const at = new Date('2026-12-04T02:00:00Z');

describe('migration 2026-12-05T02-20: the department’s record that the applicant left 杨浦 is told to each party once', () => {
  it('removes the record’s own notice (its read mark and unsent copy with it); the backfill writes the stop’s notice again, saying who recorded it, on what, and the amounts', async () => {
    expect(noticesToBackfill([LEFT_YANGPU_TOLD_ONCE_NOTICES_MIGRATION])).toBe(true);
    const row = plainCaseRow(91, {
      case_type: 'application',
      reference_no: 'YC-AP-2026-000091',
      status: 'completed',
      status_label: '已办结',
      department: 'yangpu-investment',
      programme_id: 'yangpu-talent-rent',
      details: JSON.stringify({ stopped: { leftOn: '2026-11-15', recoverableFen: 800_000, recordedBy: { department: 'yangpu-investment', note: '市场监管登记迁出' } } }),
    });
    await database.ownerDb.insertInto('cases').values(row).execute();
    const recorded = newEvent('LeftYangpuRecorded', { by: { accountId: 'demo-yangpu-approver', displayName: '钱审批' }, department: 'yangpu-investment', leftOn: '2026-11-15', note: '市场监管登记迁出', recordedAt: at.toISOString() });
    const stopped = newEvent('PayoutsStopped', { reason: 'left-yangpu', paidCount: 3, paidFen: 2_400_000, entitledFen: 1_600_000, recoverableFen: 800_000, forgoneFen: 0, stoppedAt: at.toISOString() });
    // Appended without projections; the notices as the code before this migration wrote them: the record's, and the stop's two.
    await appendToStream(database.db, { streamId: row.case_id, streamType: 'application', expectedVersion: 0, events: [recorded, stopped] }, { now: () => at });
    const old = (eventId: string, recipient: { account?: string; department?: string }, title: string, body: string) => ({
      notice_id: noticeIdOf(`event:${eventId}:${recipient.account ? `account:${recipient.account}` : `department:${recipient.department}`}:payouts-stopped`),
      recipient_account_id: recipient.account ?? null,
      recipient_department: recipient.department ?? null,
      kind: 'payouts-stopped',
      title,
      body,
      case_id: row.case_id,
      reference_no: row.reference_no,
      event_id: eventId,
      created_at: at,
    });
    const name = '杨浦人才租房补贴申请（YC-AP-2026-000091）';
    const recordNotice = old(recorded.eventId, { account: 'demo-applicant' }, `杨浦区投促办登记您已迁离杨浦：${name}`, `杨浦区投促办登记您已于2026年11月15日迁离杨浦（依据：市场监管登记迁出），您的${name}因此停止发放；已发放和需追回的金额另行通知，也可在案件页面查看。如与事实不符，请联系杨浦区投促办。`);
    await database.db
      .insertInto('notices')
      .values([
        recordNotice,
        old(stopped.eventId, { account: 'demo-applicant' }, `已停止发放：${name}`, `您的${name}因迁离杨浦已停止发放：已发放24,000.00元，其中迁离后多发的8,000.00元将由主管部门追回。`),
        old(stopped.eventId, { department: 'yangpu-investment' }, `停止发放，待追回：${name}`, `${name}因申请人迁离杨浦已停止发放，迁离后多发8,000.00元，请在案件页面发起追回。`),
      ])
      .execute();
    await database.db.insertInto('notice_reads').values({ notice_id: recordNotice.notice_id, account_id: 'demo-applicant', read_at: at }).execute();
    await database.ownerDb
      .insertInto('notice_deliveries')
      .values({ notice_id: recordNotice.notice_id, channel: 'email', address: 'applicant@example.com', recipient_account_id: 'demo-applicant', message_id: `<${recordNotice.notice_id}@youchuang>`, next_attempt_at: at })
      .onConflict((oc) => oc.doNothing())
      .execute();

    await toldOnce.up(database.ownerDb);
    await backfillNotices(database.db);

    const notices = await database.db.selectFrom('notices').select(['recipient_account_id', 'recipient_department', 'event_id', 'title', 'body']).where('case_id', '=', row.case_id).orderBy('recipient_account_id').execute();
    expect(notices).toEqual([
      {
        recipient_account_id: 'demo-applicant',
        recipient_department: null,
        event_id: stopped.eventId,
        title: `杨浦区投促办登记您已迁离杨浦：${name}`,
        body: `杨浦区投促办登记您已于2026年11月15日迁离杨浦（依据：市场监管登记迁出），您的${name}因此已停止发放：已发放24,000.00元，其中迁离后多发的8,000.00元将由主管部门追回。如与事实不符，请联系杨浦区投促办。`,
      },
      { recipient_account_id: null, recipient_department: 'yangpu-investment', event_id: stopped.eventId, title: `停止发放，待追回：${name}`, body: expect.stringContaining('请在案件页面发起追回') },
    ]);
    expect(await database.db.selectFrom('notice_reads').select('notice_id').where('notice_id', '=', recordNotice.notice_id).execute()).toEqual([]);
    expect(await database.db.selectFrom('notice_deliveries').select('notice_id').where('notice_id', '=', recordNotice.notice_id).execute()).toEqual([]);
  });
});
