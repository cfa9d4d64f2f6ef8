import { createHash } from 'node:crypto';
import { hashPassword } from '../../api/auth/passwords.js';
import { SYSTEM_ACTOR } from '../../domain/cases/actor.js';
import { recordAccountChange } from '../accounts/account-stream.js';
import type { Db } from '../client.js';
import type { PersonalDataVault } from '../personal-data-vault.js';

export const DEMO_PASSWORD = 'youchuang-demo';

export const DEMO_ACCOUNTS = [
  {
    account_id: 'demo-applicant',
    username: 'creator',
    display_name: '上海星河文化传媒有限公司',
    role: 'applicant' as const,
    department: null,
    profile: { company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: '91310110MA1G8XXXXY', registeredDistrict: '杨浦区' } },
    applicant_kind: 'company' as const,
    duty: '申请人（企业）',
  },
  {
    account_id: 'demo-individual-creator',
    username: 'individual-creator',
    display_name: '林小创',
    role: 'applicant' as const,
    department: null,
    profile: {},
    applicant_kind: 'individual' as const,
    duty: '申请人（个人创作者）',
  },
  { account_id: 'demo-cac-reviewer', username: 'cac-reviewer', display_name: '张网信', role: 'official' as const, department: 'cac', profile: {}, duties: ['reviewer'], duty: '市委网信办 内容合规审查' },
  { account_id: 'demo-fund-reviewer', username: 'fund-reviewer', display_name: '王审查', role: 'official' as const, department: 'yangpu-fund', profile: {}, duties: ['reviewer'], duty: '杨浦区 V聚场基金 材料审查、放款、还款登记' },
  { account_id: 'demo-fund-approver', username: 'fund-approver', display_name: '李决策', role: 'official' as const, department: 'yangpu-fund', profile: {}, duties: ['approver'], duty: '杨浦区 V聚场基金 评审决策' },
  { account_id: 'demo-fund-supervisor', username: 'fund-supervisor', display_name: '孙分管', role: 'official' as const, department: 'yangpu-fund', profile: {}, duties: ['supervisor'], duty: '杨浦区 V聚场基金 分管领导（差评跟进）' },
  // The fund's director (负责人): a time limit of a loan's step is extended only by a director of the fund (延长办理时限), which no demo account could show before.
  { account_id: 'demo-fund-director', username: 'fund-director', display_name: '何主任', role: 'official' as const, department: 'yangpu-fund', profile: {}, duties: ['director'], duty: '杨浦区 V聚场基金 负责人（延长办理时限、撤销资助决定）' },
  { account_id: 'demo-auditor', username: 'auditor', display_name: '赵审计', role: 'auditor' as const, department: null, profile: {}, duty: '审计（只读）' },
  { account_id: 'demo-filing-reviewer', username: 'filing-reviewer', display_name: '陈文旅', role: 'official' as const, department: 'culture-tourism', profile: {}, duties: ['reviewer'], duty: '市文旅局 微短剧备案审查' },
  { account_id: 'demo-filing-supervisor', username: 'filing-supervisor', display_name: '周分管', role: 'official' as const, department: 'culture-tourism', profile: {}, duties: ['supervisor'], duty: '市文旅局 分管领导（超期备案上报）' },
  { account_id: 'demo-admin', username: 'admin', display_name: '系统管理员', role: 'admin' as const, department: null, profile: {}, duty: '管理员：工作日历（不办理案件）' },
  // A grant of a role or a duty takes a second administrator's approval: the demo has two.
  { account_id: 'demo-second-admin', username: 'second-admin', display_name: '安全管理员', role: 'admin' as const, department: null, profile: {}, duty: '管理员：批准另一位管理员提出的授权' },
  // Programme applications: reviewers score, an approver who did not review decides, a director approves above 1,000,000.00.
  { account_id: 'demo-cac-approver', username: 'cac-approver', display_name: '刘网信', role: 'official' as const, department: 'cac', profile: {}, duties: ['approver'], duty: '市委网信办 办结决定（盾牌行动、星光计划）' },
  // External experts (评审专家) for a competitive call's panel: they see only the calls whose panel names them.
  { account_id: 'demo-expert-1', username: 'expert-1', display_name: '冯专家', role: 'expert' as const, department: null, profile: {}, duty: '评审专家（外聘）' },
  { account_id: 'demo-expert-2', username: 'expert-2', display_name: '蔡专家', role: 'expert' as const, department: null, profile: {}, duty: '评审专家（外聘）' },
  { account_id: 'demo-expert-3', username: 'expert-3', display_name: '邓专家', role: 'expert' as const, department: null, profile: {}, duty: '评审专家（外聘）' },
  { account_id: 'demo-huangpu-reviewer', username: 'huangpu-reviewer', display_name: '陈评审', role: 'official' as const, department: 'huangpu', profile: {}, duties: ['reviewer'], duty: '黄浦区 材料审查、评审打分' },
  { account_id: 'demo-huangpu-approver', username: 'huangpu-approver', display_name: '周审批', role: 'official' as const, department: 'huangpu', profile: {}, duties: ['approver'], duty: '黄浦区 奖补决策（≤ 1,000,000.00）' },
  { account_id: 'demo-huangpu-director', username: 'huangpu-director', display_name: '吴处长', role: 'official' as const, department: 'huangpu', profile: {}, duties: ['director'], duty: '黄浦区 处长（审批超过 100 万元的奖补）' },
  { account_id: 'demo-yangpu-reviewer', username: 'yangpu-reviewer', display_name: '孙评审', role: 'official' as const, department: 'yangpu-investment', profile: {}, duties: ['reviewer'], duty: '杨浦区投促办 材料审查、评审打分' },
  { account_id: 'demo-yangpu-approver', username: 'yangpu-approver', display_name: '钱审批', role: 'official' as const, department: 'yangpu-investment', profile: {}, duties: ['approver'], duty: '杨浦区投促办 奖补与服务决策' },
  { account_id: 'demo-yangpu-director', username: 'yangpu-director', display_name: '郑处长', role: 'official' as const, department: 'yangpu-investment', profile: {}, duties: ['director'], duty: '杨浦区投促办 处长（审批超过 100 万元的奖补）' },
  { account_id: 'demo-xuhui-reviewer', username: 'xuhui-reviewer', display_name: '冯评审', role: 'official' as const, department: 'xuhui', profile: {}, duties: ['reviewer'], duty: '徐汇区 材料审查、评审打分' },
  { account_id: 'demo-xuhui-approver', username: 'xuhui-approver', display_name: '褚审批', role: 'official' as const, department: 'xuhui', profile: {}, duties: ['approver'], duty: '徐汇区 奖补决策' },
  { account_id: 'demo-xuhui-director', username: 'xuhui-director', display_name: '卫处长', role: 'official' as const, department: 'xuhui', profile: {}, duties: ['director'], duty: '徐汇区 处长（审批超过 100 万元的奖补）' },
  { account_id: 'demo-culture-approver', username: 'culture-approver', display_name: '蒋审批', role: 'official' as const, department: 'culture-tourism', profile: {}, duties: ['approver'], duty: '市文旅局 沪8条奖补决策' },
  { account_id: 'demo-culture-director', username: 'culture-director', display_name: '沈处长', role: 'official' as const, department: 'culture-tourism', profile: {}, duties: ['director'], duty: '市文旅局 处长（审批超过 100 万元的奖补）' },
  { account_id: 'demo-hrss-reviewer', username: 'hrss-reviewer', display_name: '韩人社', role: 'official' as const, department: 'hrss', profile: {}, duties: ['reviewer'], duty: '人社部门 材料审查（认定、落户、职称）' },
  { account_id: 'demo-hrss-approver', username: 'hrss-approver', display_name: '杨人社', role: 'official' as const, department: 'hrss', profile: {}, duties: ['approver'], duty: '人社部门 认定决定' },
  // Every department that decides applications has a supervising official: a 差评 opens a follow-up task
  // only they close, and a breached time limit is escalated to them (before, 黄浦, 杨浦投促办, 徐汇 and 人社 had none).
  { account_id: 'demo-huangpu-supervisor', username: 'huangpu-supervisor', display_name: '黄分管', role: 'official' as const, department: 'huangpu', profile: {}, duties: ['supervisor'], duty: '黄浦区 分管领导（差评跟进、超期上报）' },
  { account_id: 'demo-yangpu-supervisor', username: 'yangpu-supervisor', display_name: '严分管', role: 'official' as const, department: 'yangpu-investment', profile: {}, duties: ['supervisor'], duty: '杨浦区投促办 分管领导（差评跟进、超期上报）' },
  { account_id: 'demo-xuhui-supervisor', username: 'xuhui-supervisor', display_name: '许分管', role: 'official' as const, department: 'xuhui', profile: {}, duties: ['supervisor'], duty: '徐汇区 分管领导（差评跟进、超期上报）' },
  { account_id: 'demo-hrss-supervisor', username: 'hrss-supervisor', display_name: '任分管', role: 'official' as const, department: 'hrss', profile: {}, duties: ['supervisor'], duty: '人社部门 分管领导（差评跟进、超期上报）' },
];

/**
 * Made-up personal data of the demo applicants (a checksum-valid but invented 身份证号), stored
 * encrypted like any other; seeded only where a personal-data key is configured.
 */
export const DEMO_PERSONAL_DATA: Record<string, { 'id-number'?: string; phone: string }> = {
  'demo-applicant': { phone: '13912345678' },
  'demo-individual-creator': { 'id-number': '310110199203041235', phone: '13698765432' },
};

/** A fixed event id per demo account and event, so two processes seeding at once append once. */
function demoEventId(username: string, event: string): string {
  const hex = createHash('sha256').update(`youchuang demo seed:${username}:${event}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const SEED_ACTOR = { accountId: SYSTEM_ACTOR.accountId, displayName: SYSTEM_ACTOR.displayName };

/**
 * Creates the demo accounts that do not exist yet; an account someone changed is left alone.
 * Each creation is an AccountCreated event by the system on the account's stream, and its demo
 * password a PasswordSet by the system (the one password no holder chose, which is why it is only
 * for demo databases), so the audit trail explains every account from its first moment.
 */
export async function seedDemoAccounts(db: Db, now: Date, personalData?: PersonalDataVault): Promise<void> {
  await seedDemoAccountRows(db, now, personalData);
  // Where each demo account is told by email (issue 14): a made-up address under a reserved domain; one set by hand stays.
  await db
    .insertInto('notice_contacts')
    .values(DEMO_ACCOUNTS.map((a) => ({ account_id: a.account_id, channel: 'email' as const, address: `${a.username}@youchuang.example` })))
    .onConflict((oc) => oc.columns(['account_id', 'channel']).doNothing())
    .execute();
}

async function seedDemoAccountRows(db: Db, now: Date, personalData?: PersonalDataVault): Promise<void> {
  const existing = new Set((await db.selectFrom('accounts').select('username').execute()).map((r) => r.username));
  const missing = DEMO_ACCOUNTS.filter((a) => !existing.has(a.username));
  // One hash for all: the same known password under one salt tells nothing more, and seeding stays quick.
  const passwordHash = missing.length ? await hashPassword(DEMO_PASSWORD) : '';
  for (const { duty: _duty, ...account } of missing) {
    await recordAccountChange(
      db,
      {
        username: account.username,
        expectedVersion: 0,
        eventIds: [demoEventId(account.username, 'AccountCreated'), demoEventId(account.username, 'PasswordSet')],
        events: [
          {
            type: 'AccountCreated',
            data: {
              accountId: account.account_id,
              username: account.username,
              displayName: account.display_name,
              role: account.role,
              department: account.department,
              duties: ('duties' in account && account.duties) || [],
              applicantKind: ('applicant_kind' in account && account.applicant_kind) || null,
              profile: account.profile,
              by: SEED_ACTOR,
              awaitingGrantId: null,
            },
          },
          { type: 'PasswordSet', data: { by: SEED_ACTOR, method: 'demo-seed' } },
        ],
        actor: { accountId: SYSTEM_ACTOR.accountId, displayName: SYSTEM_ACTOR.displayName, role: SYSTEM_ACTOR.role },
        alsoWrite: async (trx) => {
          await trx.updateTable('accounts').set({ password_hash: passwordHash }).where('account_id', '=', account.account_id).execute();
        },
      },
      () => now,
    );
    const demoData = DEMO_PERSONAL_DATA[account.account_id];
    if (personalData && demoData) {
      for (const [kind, value] of Object.entries(demoData) as ['id-number' | 'phone', string][]) await personalData.putProfile(account.account_id, kind, value);
    }
  }
}
