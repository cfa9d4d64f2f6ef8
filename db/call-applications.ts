import { sql } from 'kysely';
import { STEPS_BEFORE_PANEL, type ApplicationsAtStep, type StepBeforePanel } from '../domain/calls/panel.js';
import type { Db } from './client.js';

/**
 * How many of a call's applications are at each step before its panel (材料审查, 待补正, 网信内容审查),
 * in the order of the steps, leaving out steps with none: what holds up the call's list. One that
 * left the call (withdrawn, deemed withdrawn, rejected) is at none of them.
 */
export async function applicationsBeforePanelOf(db: Db, callId: string): Promise<ApplicationsAtStep[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['status', sql<string>`count(*)`.as('count')])
    .where('case_type', '=', 'application')
    .where('status', 'in', STEPS_BEFORE_PANEL)
    .where(sql<string>`details->'call'->>'callId'`, '=', callId)
    .groupBy('status')
    .execute();
  const counts = new Map(rows.map((r) => [r.status, Number(r.count)]));
  return STEPS_BEFORE_PANEL.filter((status: StepBeforePanel) => (counts.get(status) ?? 0) > 0).map((status) => ({ status, count: counts.get(status)! }));
}
