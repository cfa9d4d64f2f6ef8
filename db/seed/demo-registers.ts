import type { Actor } from '../../domain/cases/actor.js';
import type { RegisterCommand, RegisterKind } from '../../domain/registers/registers.js';
import { addMonthsClamped, compareDates, localDate, shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import type { Db } from '../client.js';
import { recordRegisterChange } from '../registers/register-store.js';

/** The demo company's 统一社会信用代码: a V聚场 tenant, so its rent-waiver and voucher applications are answered by the register. */
export const DEMO_CREDIT_CODE = '91310110MA1G8D000Y';

const yangpuReviewer: Actor = { accountId: 'demo-yangpu-reviewer', displayName: '孙评审', role: 'official', department: 'yangpu-investment' };
const admin: Actor = { accountId: 'demo-admin', displayName: '系统管理员', role: 'admin' };

/**
 * A few register entries for the demo (npm start): a V聚场 tenant, a listed live-streaming venue,
 * and the LPR published in the last six months or so (1-year 3.00%, over-5-year 3.50%, published on the 20th).
 * Each is recorded as its keeper would record it, once: entries already there are left alone.
 */
export async function seedDemoRegisters(db: Db, now: Date): Promise<void> {
  const today = shanghaiDateOf(now);
  const firstOfMonth = localDate(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 1);
  const seeds: { kind: RegisterKind; actor: Actor; command: RegisterCommand }[] = [
    {
      kind: 'carrier-tenants',
      actor: yangpuReviewer,
      command: { type: 'AddEntry', entryId: 'RE-demo-vjuchang-1', fields: { subject: DEMO_CREDIT_CODE, name: '上海优创示范文化传媒有限公司', detail: { carrier: 'V聚场' }, from: addMonthsClamped(firstOfMonth, -12), to: null }, reason: '演示数据：入驻协议已签订' },
    },
    {
      kind: 'live-venues',
      actor: yangpuReviewer,
      command: { type: 'AddEntry', entryId: 'RE-demo-venue-1', fields: { subject: 'V聚场共享直播间', name: 'V聚场共享直播间', detail: { address: '杨浦区' }, from: addMonthsClamped(firstOfMonth, -12), to: null }, reason: '演示数据：公布的共享直播场地' },
    },
    ...Array.from({ length: 7 }, (_, i) => {
      const month = addMonthsClamped(firstOfMonth, i - 6);
      const published = addMonthsClamped(month, 0, 20) as LocalDate;
      const label = month.slice(0, 7);
      return {
        kind: 'lpr' as const,
        actor: admin,
        command: { type: 'AddEntry' as const, entryId: `RE-demo-lpr-${label}`, fields: { subject: label, name: `${label} 贷款市场报价利率`, detail: { oneYearBasisPoints: 300, overFiveYearsBasisPoints: 350 }, from: published, to: null }, reason: '演示数据：全国银行间同业拆借中心公布' },
      };
    }).filter((seed) => compareDates(seed.command.fields.from, today) <= 0),
  ];
  for (const { kind, actor, command } of seeds) {
    const there = await db.selectFrom('register_entries').select('entry_id').where('kind', '=', kind).where('entry_id', '=', command.entryId).executeTakeFirst();
    if (!there) await recordRegisterChange(db, kind, command, actor, () => now);
  }
}
