import { sql, type Kysely } from 'kysely';

/**
 * A monthly subsidy's plan in words (the case page's 奖补 line, `details.award.planInWords`) names the
 * day of its first payment and of its last, not the award date: payment n falls due n months after the
 * award date, so 自2026年12月5日起每月发放 read as if the first payment were made on the day of approval.
 * Rows projected before carry the old words; they get the new ones here, as the projection now writes
 * them (domain/applications/payouts.ts describePlan), so that the auditor's rebuild of the read models
 * finds no difference. A frozen copy: nothing of domain/ is read.
 */

interface MonthlyPlan {
  kind: 'monthly';
  monthlyFen: number;
  months: number;
  startOn: string;
}

const isMonthlyPlan = (plan: unknown): plan is MonthlyPlan => {
  const p = plan as Partial<MonthlyPlan> | null;
  return !!p && p.kind === 'monthly' && Number.isSafeInteger(p.monthlyFen) && Number.isSafeInteger(p.months) && typeof p.startOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.startOn);
};

const amount = (fen: number): string => {
  const whole = Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(fen % 100).padStart(2, '0')}元`;
};

const parts = (date: string) => ({ year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) });
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The day `months` months after `date`, on its day of month, clamped to the month's last day. */
function addMonthsClamped(date: string, months: number): { year: number; month: number; day: number } {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return { year: y, month: m, day: Math.min(day, daysInMonth(y, m)) };
}

const chineseDay = ({ year, month, day }: { year: number; month: number; day: number }) => `${year}年${month}月${day}日`;

/** The words as this migration's version of describePlan writes them for a monthly plan. */
function monthlyPlanInWords(plan: MonthlyPlan): string {
  const perMonth = `每月发放 ${amount(plan.monthlyFen)}，共 ${plan.months} 个月`;
  if (plan.months < 1) return `${perMonth}，不发放资金`;
  const first = chineseDay(addMonthsClamped(plan.startOn, 1));
  if (plan.months === 1) return `${perMonth}，于${first}发放`;
  return `${perMonth}，${first}首次发放，${chineseDay(addMonthsClamped(plan.startOn, plan.months))}末次发放`;
}

/** The words rows were projected with before. */
function formerWords(plan: MonthlyPlan): string {
  return `自${chineseDay(parts(plan.startOn))}起每月发放 ${amount(plan.monthlyFen)}，共 ${plan.months} 个月`;
}

async function rewrite(db: Kysely<any>, words: (plan: MonthlyPlan) => string): Promise<void> {
  const { rows } = await sql<{ case_id: string; plan: unknown }>`
    SELECT case_id, details->'award'->'plan' AS plan
      FROM cases
     WHERE case_type = 'application'
       AND jsonb_typeof(details->'award') = 'object'
       AND details->'award'->'plan'->>'kind' = 'monthly'`.execute(db);
  for (const row of rows) {
    if (!isMonthlyPlan(row.plan)) continue;
    await sql`
      UPDATE cases
         SET details = jsonb_set(details, '{award,planInWords}', to_jsonb(${words(row.plan)}::text))
       WHERE case_id = ${row.case_id}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db, monthlyPlanInWords);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rewrite(db, formerWords);
}
