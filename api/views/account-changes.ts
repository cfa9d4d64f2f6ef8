import { describeAssignment, type Assignment } from '../../domain/accounts/assignment.js';
import type { AccountEventBy, AccountEventData, AccountEventType } from '../../db/projections/account.projection.js';
import type { GrantKind } from '../../db/tables/accounts.table.js';
import { chineseInstant } from '../../domain/time/local-date.js';

const GRANT_KINDS: Record<GrantKind, string> = { creation: '新建账户', change: '变更角色', reset: '重置密码', enable: '重新启用' };

const role = (a: unknown) => describeAssignment(a as Assignment);

/**
 * One change of an account as the auditor reads it in the list of administrators' actions: what it
 * was, in words, and who did it (the administrator who asked, approved or refused; the holder who
 * set their password; the system for the demo accounts).
 */
export function accountChangeInWords(type: string, data: Record<string, unknown>): { summary: string; by: AccountEventBy | null } {
  const d = data as never;
  switch (type as AccountEventType) {
    case 'AccountCreated': {
      const c = d as AccountEventData['AccountCreated'];
      return { summary: `新建账户「${c.displayName}」：${role(c)}${c.awaitingGrantId ? '，待另一位管理员批准' : ''}`, by: c.by };
    }
    case 'DisplayNameChanged': {
      const c = d as AccountEventData['DisplayNameChanged'];
      return { summary: `显示名由「${c.from}」改为「${c.to}」`, by: c.by };
    }
    case 'ApplicantCompanyRecorded': {
      const c = d as AccountEventData['ApplicantCompanyRecorded'];
      return { summary: `登记企业：${c.to.name}（${c.to.unifiedSocialCreditCode}）`, by: c.by };
    }
    case 'AccountRoleChanged': {
      const c = d as AccountEventData['AccountRoleChanged'];
      return { summary: `角色由「${role(c.from)}」改为「${role(c.to)}」`, by: c.by };
    }
    case 'RoleGrantRequested': {
      const c = d as AccountEventData['RoleGrantRequested'];
      return { summary: `申请${GRANT_KINDS[c.kind]}：${role(c.to)}，待另一位管理员批准`, by: c.requestedBy };
    }
    case 'RoleGrantApproved': {
      const c = d as AccountEventData['RoleGrantApproved'];
      return { summary: `批准${c.requestedBy.displayName}申请的${GRANT_KINDS[c.kind]}：${role(c.to)}`, by: c.approvedBy };
    }
    case 'RoleGrantRefused': {
      const c = d as AccountEventData['RoleGrantRefused'];
      return { summary: `拒绝${c.requestedBy.displayName}申请的${GRANT_KINDS[c.kind]}：${role(c.to)}，理由：${c.reason}`, by: c.refusedBy };
    }
    case 'SignInCodeIssued': {
      const c = d as AccountEventData['SignInCodeIssued'];
      return { summary: `发出一次性登录码（${c.purpose === 'reset' ? '重置密码' : '激活账户'}），有效至 ${chineseInstant(c.expiresAt)}`, by: c.by };
    }
    case 'PasswordSet': {
      const c = d as AccountEventData['PasswordSet'];
      return { summary: c.method === 'demo-seed' ? '演示账户的初始密码' : '凭一次性登录码设置密码', by: c.by };
    }
    case 'PasswordResetIssued': {
      const c = d as AccountEventData['PasswordResetIssued'];
      return { summary: '重置密码生效：原密码失效，已登录的会话结束', by: c.by };
    }
    case 'AccountDisabled': {
      const c = d as AccountEventData['AccountDisabled'];
      return { summary: `停用，理由：${c.reason}`, by: c.by };
    }
    case 'AccountEnabled': {
      const c = d as AccountEventData['AccountEnabled'];
      return { summary: '重新启用', by: c.by };
    }
    default:
      return { summary: type, by: null };
  }
}
