import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * A password reset is told to the account's holder (domain/notices/account-notices.ts): an
 * administrator alone could reset an applicant's password, receive the one-time code and sign in as
 * them unseen. The resets recorded before get their notices here, in the inbox only (old news is
 * not mailed: the outbox trigger skips the backfill), exactly as the account projection now writes
 * them, so that the auditor's rebuild of the read models finds no difference. A frozen copy of the
 * words and of the notice's id: nothing of domain/ is read.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

function chineseInstant(at: Date): string {
  const shifted = new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${Number(shifted.slice(0, 4))}年${Number(shifted.slice(5, 7))}月${Number(shifted.slice(8, 10))}日 ${shifted.slice(11, 16)}`;
}

function noticeIdOf(key: string): string {
  const hex = createHash('sha256').update(`youchuang notice:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function up(db: Kysely<any>): Promise<void> {
  // In the migrations' own transaction: the outbox skips these, and no longer after them.
  await sql`SELECT set_config('youchuang.notices_backfill', 'on', true)`.execute(db);
  const resets = await sql<{ event_id: string; username: string; account_id: string; payload: { by?: { displayName?: unknown } }; recorded_at: Date }>`
    SELECT e.event_id, a.username, a.account_id, e.payload, e.recorded_at
      FROM events e
      JOIN accounts a ON e.stream_id = 'account-' || a.username
     WHERE e.event_type = 'PasswordResetIssued'
     ORDER BY e.global_position`.execute(db);
  for (const reset of resets.rows) {
    const by = reset.payload?.by?.displayName;
    const who = typeof by === 'string' && by.trim() !== '' ? `管理员（${by}）` : '管理员';
    await db
      .insertInto('notices')
      .values({
        notice_id: noticeIdOf(`${reset.event_id}:account:${reset.account_id}`),
        recipient_account_id: reset.account_id,
        recipient_department: null,
        kind: 'account-security',
        title: '您的账户密码已被重置',
        body: `${who}于${chineseInstant(reset.recorded_at)}重置了您的账户（${reset.username}）的密码，原密码已失效，已登录的设备均已退出。设置新密码所需的一次性登录码由管理员通过线下或其他可靠渠道交给您本人，管理员不会询问您的密码。如您没有申请重置，请立即与主管部门联系。`,
        case_id: null,
        reference_no: null,
        event_id: reset.event_id,
        created_at: reset.recorded_at,
      })
      .onConflict((c: any) => c.column('notice_id').doNothing())
      .execute();
  }
  await sql`SELECT set_config('youchuang.notices_backfill', 'off', true)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('notices').where('kind', '=', 'account-security').execute();
}
