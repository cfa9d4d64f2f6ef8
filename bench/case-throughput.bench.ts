import type { BenchContext } from './context.js';
import { withWorker } from './context.js';
import { runChuyingCase, runNoopCase } from './case-load.js';
import { cpuByProcess, now, pool, Progress, round } from './measure.js';
import { ratio, type BenchmarkResult } from './report.js';

/**
 * 雏鹰 cases per second from submission to disbursement, through the real workflow, activities
 * and Postgres, ÷ the no-op workflow with the same messages and the same number of no-op
 * activities, on the same dev server with the same worker options. Rounds alternate
 * (baseline, real, baseline, real) so that drift on a shared machine falls on both sides.
 */
export async function caseThroughput(ctx: BenchContext): Promise<BenchmarkResult> {
  const cases = ctx.quick ? 30 : 250;
  const concurrency = 10;
  const rounds = 2;
  const { db } = await ctx.database('bench_cases');
  const client = ctx.temporal.client;
  const progress = new Progress('case throughput');
  const totals = { real: { cases: 0, ms: 0 }, noop: { cases: 0, ms: 0 } };
  const cpu = { real: { benchProcess: 0, temporal: 0, postgres: 0 }, noop: { benchProcess: 0, temporal: 0, postgres: 0 } };

  for (let r = 1; r <= rounds; r++) {
    for (const kind of ['noop', 'real'] as const) {
      const { worker, taskQueue } = kind === 'real' ? await ctx.caseWorker(db) : await ctx.benchWorker();
      const run = kind === 'real' ? () => runChuyingCase(client, taskQueue) : () => runNoopCase(client, taskQueue);
      await withWorker(worker, async () => {
        progress.update(`round ${r}/${rounds} ${kind}: warming up`);
        await pool(Array.from({ length: concurrency }), concurrency, run);
        const cpuBefore = cpuByProcess();
        const started = now();
        await pool(Array.from({ length: cases }), concurrency, run, (done) => {
          const seconds = (now() - started) / 1000;
          progress.update(`round ${r}/${rounds} ${kind}: ${done}/${cases} cases, ${round(done / seconds)} cases/s`);
        });
        totals[kind].cases += cases;
        totals[kind].ms += now() - started;
        const cpuAfter = cpuByProcess();
        // A database backend that ended during the round takes its CPU with it: a difference below 0 is none.
        for (const part of ['benchProcess', 'temporal', 'postgres'] as const) cpu[kind][part] += Math.max(0, cpuAfter[part] - cpuBefore[part]);
      });
    }
  }

  const real = totals.real.cases / (totals.real.ms / 1000);
  const noop = totals.noop.cases / (totals.noop.ms / 1000);
  progress.done(`${round(real)} cases/s real, ${round(noop)} cases/s no-op`);
  return {
    ratios: [
      ratio(
        'case throughput',
        'case throughput ÷ no-op workflow',
        '雏鹰 cases/s from submission to disbursement (real workflow, activities, Postgres) divided by no-op cases/s with the same messages, activity count, server and worker options; 1.0 would mean the case work costs nothing over Temporal itself',
        { what: '雏鹰 submission → disbursement', value: real, unit: 'cases/s' },
        { what: 'no-op workflow, 13 no-op activities, a timer a step', value: noop, unit: 'cases/s' },
      ),
    ],
    details: {
      // Where each kind of case spent its CPU, in ms a case: the gap between the two is the case's work.
      cpuMsPerCase: { real: perCase(cpu.real, totals.real.cases), noop: perCase(cpu.noop, totals.noop.cases) },
      casesPerRound: cases,
      rounds,
      concurrency,
      updatesPerCase: 5,
      activitiesPerCase: 13,
      timersPerCase: 5,
      realCases: totals.real.cases,
      noopCases: totals.noop.cases,
    },
  };
}

function perCase(cpu: { benchProcess: number; temporal: number; postgres: number }, cases: number) {
  return { benchProcess: round(cpu.benchProcess / cases), temporalServer: round(cpu.temporal / cases), postgres: round(cpu.postgres / cases) };
}
