import { hashPassword } from '../../api/auth/passwords.js';
import type { Db } from '../client.js';

export const DEMO_PASSWORD = 'youchuang-demo';

export const DEMO_ACCOUNTS = [
  {
    account_id: 'demo-applicant',
    username: 'creator',
    display_name: '上海星河文化传媒有限公司',
    role: 'applicant' as const,
    department: null,
    profile: { company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: '91310110MA1G8XXXXA', registeredDistrict: '杨浦区' } },
    duty: '申请人（企业）',
  },
  { account_id: 'demo-cac-reviewer', username: 'cac-reviewer', display_name: '张网信', role: 'official' as const, department: 'cac', profile: {}, duty: '市委网信办 内容合规审查' },
  { account_id: 'demo-fund-reviewer', username: 'fund-reviewer', display_name: '王审查', role: 'official' as const, department: 'yangpu-fund', profile: {}, duty: '杨浦区 V聚场基金 材料审查、放款、还款登记' },
  { account_id: 'demo-fund-approver', username: 'fund-approver', display_name: '李决策', role: 'official' as const, department: 'yangpu-fund', profile: {}, duty: '杨浦区 V聚场基金 评审决策' },
  { account_id: 'demo-auditor', username: 'auditor', display_name: '赵审计', role: 'auditor' as const, department: null, profile: {}, duty: '审计（只读）' },
];

/** Creates the demo accounts that do not exist yet; an account someone changed is left alone. */
export async function seedDemoAccounts(db: Db, now: Date): Promise<void> {
  const existing = new Set((await db.selectFrom('accounts').select('username').execute()).map((r) => r.username));
  for (const { duty: _duty, ...account } of DEMO_ACCOUNTS) {
    if (existing.has(account.username)) continue;
    await db
      .insertInto('accounts')
      .values({ ...account, profile: JSON.stringify(account.profile), password_hash: await hashPassword(DEMO_PASSWORD), created_at: now })
      .onConflict((oc) => oc.column('username').doNothing())
      .execute();
  }
}
