import { randomUUID } from 'node:crypto';
import { continuousCaseLoad } from './case-load.js';
import type { BenchContext } from './context.js';
import { withWorker } from './context.js';
import { percentile, Progress, round } from './measure.js';
import { ratio, type BenchmarkResult } from './report.js';
import { timerProbeWorkflow, type TimerProbeResult } from './workflows/timers.workflow.js';

/**
 * How late workflow timers fire, on the local dev server in real time: p99 of (fired − due)
 * while 雏鹰 cases run through the real worker and Postgres ÷ the same timers on an idle system.
 * "Due" is the workflow's start plus the delay; "fired" is the workflow clock when it resumed, so
 * both include the worker's own pick-up time, as a case's deadline would.
 */
export async function timerLateness(ctx: BenchContext): Promise<BenchmarkResult> {
  const workflows = ctx.quick ? 10 : 40;
  const timersEach = ctx.quick ? 5 : 10;
  const spreadMs = ctx.quick ? 5_000 : 15_000;
  const loadConcurrency = 10;
  const { db } = await ctx.database('bench_timers');
  const progress = new Progress('timer lateness');
  const probes = await ctx.benchWorker();
  const cases = await ctx.caseWorker(db);

  const runProbes = async (label: string): Promise<number[]> => {
    const handles = await Promise.all(
      Array.from({ length: workflows }, () => {
        const delaysMs = Array.from({ length: timersEach }, () => 1_000 + Math.round(Math.random() * spreadMs));
        return ctx.temporal.client.workflow.start(timerProbeWorkflow, { workflowId: `timers-${randomUUID()}`, taskQueue: probes.taskQueue, args: [{ delaysMs }] });
      }),
    );
    let finished = 0;
    const results: TimerProbeResult[] = await Promise.all(
      handles.map(async (h) => {
        const result = await h.result();
        progress.update(`${label}: ${++finished}/${workflows} workflows, ${workflows * timersEach} timers over ${spreadMs / 1000 + 1} s`);
        return result;
      }),
    );
    return results.flatMap((r) => r.timers.map((t) => t.firedMs - t.dueMs));
  };

  const { idle, loaded, casesDuring } = await withWorker(probes.worker, () =>
    withWorker(cases.worker, async () => {
      const idle = await runProbes('idle');
      const load = continuousCaseLoad(ctx.temporal.client, cases.taskQueue, loadConcurrency);
      const loaded = await runProbes(`under load (${loadConcurrency} cases in flight)`);
      const casesDuring = await load.stop();
      return { idle, loaded, casesDuring };
    }),
  );

  const p99Idle = percentile(idle, 99);
  const p99Loaded = percentile(loaded, 99);
  progress.done(`p99 lateness ${round(p99Loaded)} ms under load vs ${round(p99Idle)} ms idle; ${casesDuring} cases ran meanwhile`);
  return {
    ratios: [
      ratio(
        'timer lateness',
        'timer lateness p99, load ÷ idle',
        `p99 of (fired − due) of ${workflows * timersEach} workflow timers while 雏鹰 cases run (${loadConcurrency} in flight, real worker and Postgres) divided by the p99 of the same number of timers on the idle system; same dev server, real time`,
        { what: 'p99 fired − due, under load', value: p99Loaded, unit: 'ms' },
        { what: 'p99 fired − due, idle', value: p99Idle, unit: 'ms' },
      ),
    ],
    details: {
      timers: workflows * timersEach,
      workflows,
      delaysMs: `1000–${1_000 + spreadMs}, uniform`,
      p50IdleMs: percentile(idle, 50),
      p50LoadedMs: percentile(loaded, 50),
      maxLoadedMs: Math.max(...loaded),
      casesCompletedDuringLoad: casesDuring,
    },
  };
}
