import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../api/app.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import type { WorkingDayCalendar } from '../../domain/time/working-days.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { generatePersonalDataKey, parsePersonalDataKey, PersonalDataVault } from '../../db/personal-data-vault.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { freshCreditCode } from './actors.js';
import { unregisterDemoCompany } from './legacy-company.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createTimeSkippingEnvironment, workflowBundle } from './temporal.js';

/** The API over a real worker, real Postgres and the time-skipping server, with the demo accounts. */
export interface ApiHarness {
  app: FastifyInstance;
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  /** The API's personal-data vault (a key made for this harness). */
  personalData: PersonalDataVault;
  /** Signs in and returns a function that calls the API as that account. */
  as(username: string): Promise<ApiCaller>;
  close(): Promise<void>;
}

export type ApiCaller = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;

export interface ApiHarnessOptions {
  /** Where the API's log lines go (JSON, one per line), at `level`; no logging when absent. */
  log?: { write(line: string): void; level?: string };
  /** The API's clock (the worker keeps the real one): a test that moves it sees a day come. */
  clock?: () => Date;
  /** The calendar as the worker's activities read it, given the real one (a test holds a read to stand between it and its record). */
  workerCalendar?: (calendar: () => Promise<WorkingDayCalendar>) => () => Promise<WorkingDayCalendar>;
}

export async function startApiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  const taskQueue = `api-${randomUUID()}`;
  const calendar = calendarFromDatabase(database.db);
  const worker: Worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar: options.workerCalendar?.(calendar) ?? calendar, workflowBundle: await workflowBundle() });
  const running = worker.run();
  const personalData = new PersonalDataVault(database.db, parsePersonalDataKey(generatePersonalDataKey(), 'a test key'));
  await seedDemoAccounts(database.db, new Date(), personalData);
  await unregisterDemoCompany(database.db);
  await database.db
    .insertInto('accounts')
    .values({
      account_id: 'other-applicant',
      username: 'other-creator',
      display_name: '另一家文化公司',
      role: 'applicant',
      department: null,
      applicant_kind: 'company',
      profile: '{}',
      password_hash: await hashPassword(DEMO_PASSWORD),
      created_at: new Date(),
    })
    .execute();
  const app = await buildApp(
    { db: database.db, temporal: env.client, taskQueue, clock: options.clock ?? (() => new Date()), calendar, personalData },
    options.log ? { logger: { level: options.log.level ?? 'info', stream: options.log } } : {},
  );

  return {
    app,
    env,
    database,
    personalData,
    async as(username) {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      if (login.statusCode !== 200) throw new Error(`login as ${username} failed: ${login.body}`);
      const token = login.json<{ token: string }>().token;
      return (method, url, body, headers = {}) =>
        app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body === undefined ? {} : { payload: body as object }) });
    },
    async close() {
      await app.close();
      worker.shutdown();
      await running;
      await env.teardown();
      await database.drop();
    },
  };
}

export const validApplication = () => ({
  // A company of its own each time: a company holds one 雏鹰 loan at a time, and tests open many.
  company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: freshCreditCode(), registeredDistrict: '杨浦区' },
  project: { name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' },
  requestedAmountFen: 40_000_000,
});

/**
 * A 雏鹰 loan taken through the API as the officials take it, to 还款中 with one repayment of
 * 10,000.00 recorded today: its case id. Each loan's bank references are its own (one transaction, one loan).
 */
export async function repayingLoan(harness: ApiHarness): Promise<string> {
  const [creator, reviewer, cac, approver] = await Promise.all(['creator', 'fund-reviewer', 'cac-reviewer', 'fund-approver'].map((u) => harness.as(u)));
  const opened = await creator!('POST', '/api/cases/chuying-loan', validApplication());
  if (opened.statusCode !== 201) throw new Error(`opening a loan: ${opened.body}`);
  const { caseId } = opened.json<{ caseId: string }>();
  const today = shanghaiDateOf(await harness.env.currentTimeMs());
  for (const [caller, action, body] of [
    [reviewer, 'accept-materials', {}],
    [cac, 'pass-compliance-review', {}],
    [approver, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减至 36 万元' }],
    [reviewer, 'record-disbursement', { disbursedOn: today, bankReference: `BOC-${caseId}` }],
    [reviewer, 'record-repayment', { amountFen: 1_000_000, paidOn: today, reference: `R-${caseId}` }],
  ] as const) {
    const response = await caller!('POST', `/api/cases/${caseId}/${action}`, body);
    if (response.statusCode !== 200) throw new Error(`${action}: ${response.body}`);
  }
  return caseId;
}
