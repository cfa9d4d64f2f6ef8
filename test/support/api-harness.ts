import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../api/app.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createTimeSkippingEnvironment, workflowBundle } from './temporal.js';

/** The API over a real worker, real Postgres and the time-skipping server, with the demo accounts. */
export interface ApiHarness {
  app: FastifyInstance;
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  /** Signs in and returns a function that calls the API as that account. */
  as(username: string): Promise<ApiCaller>;
  close(): Promise<void>;
}

export type ApiCaller = (method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;

export async function startApiHarness(): Promise<ApiHarness> {
  const [env, database] = await Promise.all([createTimeSkippingEnvironment(), createTestDatabase()]);
  const taskQueue = `api-${randomUUID()}`;
  const calendar = async () => packagedCalendar();
  const worker: Worker = await createCaseWorker({ connection: env.nativeConnection, taskQueue, db: database.db, clock: () => new Date(), calendar, workflowBundle: await workflowBundle() });
  const running = worker.run();
  await seedDemoAccounts(database.db, new Date());
  await database.db
    .insertInto('accounts')
    .values({
      account_id: 'other-applicant',
      username: 'other-creator',
      display_name: '另一家文化公司',
      role: 'applicant',
      department: null,
      profile: '{}',
      password_hash: await hashPassword(DEMO_PASSWORD),
      created_at: new Date(),
    })
    .execute();
  const app = await buildApp({ db: database.db, temporal: env.client, taskQueue, clock: () => new Date(), calendar });

  return {
    app,
    env,
    database,
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
  company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: '91310110MA1G8XXXXA', registeredDistrict: '杨浦区' },
  project: { name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' },
  requestedAmountFen: 40_000_000,
});
