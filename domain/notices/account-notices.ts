import { chineseInstant } from '../time/local-date.js';
import type { Notice } from './notices.js';

/**
 * What an account's own events tell its holder. A password reset: an administrator alone could reset
 * an applicant's password, receive the one-time code and sign in as them, and the holder learned
 * nothing but that their password no longer worked. The notice reaches their inbox and, through the
 * outbox, their email: a reset they did not ask for is reported at once. Pure: no I/O, no clock.
 */
export function accountNoticesFor(
  event: { eventId: string; type: string; data: unknown; recordedAt: string },
  account: { accountId: string; username: string },
): Notice[] {
  if (event.type !== 'PasswordResetIssued') return [];
  const by = (event.data as { by?: { displayName?: unknown } } | null)?.by?.displayName;
  const who = typeof by === 'string' && by.trim() !== '' ? `管理员（${by}）` : '管理员';
  return [
    {
      key: `${event.eventId}:account:${account.accountId}`,
      recipient: { accountId: account.accountId },
      kind: 'account-security',
      title: '您的账户密码已被重置',
      body: `${who}于${chineseInstant(event.recordedAt)}重置了您的账户（${account.username}）的密码，原密码已失效，已登录的设备均已退出。设置新密码所需的一次性登录码由管理员通过线下或其他可靠渠道交给您本人，管理员不会询问您的密码。如您没有申请重置，请立即与主管部门联系。`,
      caseId: null,
      referenceNo: null,
      eventId: event.eventId,
      createdAt: event.recordedAt,
    },
  ];
}
