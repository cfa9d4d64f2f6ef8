import { readFile } from 'node:fs/promises';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { describe, expect, it } from 'vitest';
import { actionNamed } from '../../cases/case-module.js';
import { applicationCase, PAYOUTS_RECORDED_PATCH } from '../../cases/application.case.js';
import type { ApplicationCommand } from '../../domain/applications/commands.js';
import type { ApplicationAssessment, ApplicationEvent } from '../../domain/applications/events.js';
import { amountFollowsFromRule } from '../../domain/applications/payouts.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { changesTakenIn } from '../support/patch-markers.js';

const HISTORIES = new URL('../fixtures/histories/', import.meta.url);

interface Recorded {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: Actor; causationId: string };
}

/** What a recorded history appended, turn by turn, and the last assessment each approval was re-checked with. */
async function appendsOf(file: string) {
  const json = JSON.parse(await readFile(new URL(file, HISTORIES), 'utf8'));
  const history = historyFromJSON(json);
  const decode = (payloads: { data?: Uint8Array | null }[] | null | undefined) => JSON.parse(Buffer.from(payloads![0]!.data!).toString('utf8'));
  const appends: { events: Recorded[]; awardCheck?: ApplicationAssessment }[] = [];
  const scheduled = new Map<string, string>();
  let lastAssessment: ApplicationAssessment | undefined;
  for (const event of history.events ?? []) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(event.eventId), s.activityType!.name!);
    if (s?.activityType?.name === 'appendCaseEvents') appends.push({ events: decode(s.input!.payloads).events as Recorded[], ...(lastAssessment ? { awardCheck: lastAssessment } : {}) });
    const c = event.activityTaskCompletedEventAttributes;
    if (c && scheduled.get(String(c.scheduledEventId)) === 'assessApplication') lastAssessment = decode(c.result!.payloads);
  }
  return { appends, changes: changesTakenIn(history) };
}

/** Events as the decider returns them: the driver's stamps (the decision letter) aside. */
const bare = (events: readonly { type: string; data: unknown }[]) =>
  events.map(({ type, data }) => {
    const { letter: _stamped, ...rest } = data as Record<string, unknown>;
    return { type, data: rest };
  });

/**
 * Histories recorded before PAYOUTS_RECORDED_PATCH replay (test/workflows/replay.test.ts), but replay
 * compares only the commands — one append is one append whatever it holds. Here each turn that paid
 * money is decided again by today's module, as the workflow replaying that history would (the change
 * not taken: patched() false), and must record exactly what was recorded: the award paid by the
 * calendar, PayoutIssued, the stop's amounts.
 */
describe('awards recorded before payments were recorded decide as they did', () => {
  for (const file of ['application.one-off.json', 'application.monthly-left-yangpu.json', 'application.one-marker-monthly-left-yangpu.json']) {
    it(`${file}: every payment, the approval that granted it and the stop decide the events recorded`, async () => {
      const { appends, changes } = await appendsOf(file);
      expect(changes.has(PAYOUTS_RECORDED_PATCH)).toBe(false);
      const patched = (id: string) => changes.has(id);
      let state: ApplicationState = applicationCase.initialState();
      let checked = 0;
      for (const { events, awardCheck } of appends) {
        const first = events[0]!;
        let decided: ApplicationEvent[] | undefined;
        if (first.type === 'PayoutIssued') {
          decided = applicationCase.onThreshold(state, Date.parse(String(first.data.issuedAt)));
        } else if (first.type === 'ApplicationApproved' || first.type === 'LeftYangpuReported') {
          const d = first.data;
          const payout = state.terms!.payout;
          const command: ApplicationCommand =
            first.type === 'ApplicationApproved'
              ? { type: 'ApproveApplication', notes: String(d.notes), ...(amountFollowsFromRule(payout) || payout.kind === 'none' ? {} : { approvedAmountFen: d.approvedAmountFen as number }) }
              : { type: 'ReportLeftYangpu', leftOn: d.leftOn as never, note: String(d.note) };
          const declared = actionNamed(applicationCase, first.type === 'ApplicationApproved' ? 'approve-application' : 'report-left-yangpu')!;
          const legacy = declared.legacyBeforePatch !== undefined && !changes.has(declared.legacyBeforePatch);
          const awardId = events.find((e) => e.type === 'AwardGranted')?.data.awardId;
          decided = applicationCase.decide(command, state, {
            actor: first.metadata.actor,
            now: Date.parse(String(d.decidedAt ?? d.reportedAt)),
            legacy,
            patched,
            prepared: { awardCheck, ...(awardId ? { awardId } : {}) },
          });
        }
        if (decided && events.some((e) => ['PayoutIssued', 'AwardGranted', 'PayoutsStopped'].includes(e.type))) {
          expect(bare(decided)).toEqual(bare(events));
          checked += 1;
        }
        state = events.reduce((s, e) => applicationCase.evolve(s, { type: e.type, data: e.data } as ApplicationEvent), state);
      }
      expect(checked).toBeGreaterThan(0);
      expect(state.status).toBe('completed');
      // Paid by the calendar, as recorded: nothing waits to be recorded in these cases.
      expect(state.duePayouts).toBeUndefined();
      expect(state.totalPaidFen).toBeGreaterThan(0);
    });
  }

  it('the same approval, where the case runs with the change, leaves the payment due (待拨付) instead', async () => {
    const { appends } = await appendsOf('application.one-off.json');
    let state: ApplicationState = applicationCase.initialState();
    for (const { events, awardCheck } of appends) {
      const first = events[0]!;
      if (first.type === 'ApplicationApproved') {
        const asked: string[] = [];
        const decided = applicationCase.decide({ type: 'ApproveApplication', notes: String(first.data.notes), approvedAmountFen: first.data.approvedAmountFen as number }, state, {
          actor: first.metadata.actor,
          now: Date.parse(String(first.data.decidedAt)),
          legacy: false,
          patched: (id) => {
            asked.push(id);
            return true;
          },
          prepared: { awardCheck, awardId: 'AW-1' },
        });
        expect(decided.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted', 'PayoutFellDue']);
        // Asked once, by its own name, where the award is granted.
        expect(asked).toEqual([PAYOUTS_RECORDED_PATCH]);
        return;
      }
      state = events.reduce((s, e) => applicationCase.evolve(s, { type: e.type, data: e.data } as ApplicationEvent), state);
    }
    expect.fail('the history holds an approval');
  });
});
