import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { createPool } from '../../db/client.js';
import type { Database } from '../../db/database.js';
import { appendToStream } from '../../db/event-store.js';
import { projectReadModels } from '../../db/projections/index.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { fundReviewer } from '../support/actors.js';
import { asNewEvents, ChuyingHistory } from '../support/chuying-history.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Issue 17: a case page reads its case and its caller's session in one statement. What the session
 * rules say still holds through it: a session ended by 退出 reads nothing, a missing case is a 404
 * for a signed-in caller, and another applicant's case is a 404 too.
 */
describe('GET /api/cases/:caseId reads the case and the session in one statement', () => {
  let database: TestDatabase;
  let api: Kysely<Database>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let statements: string[] = [];
  let caseId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoAccounts(database.db, new Date());
    api = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: createPool(database.appUrl) }),
      log: (event: LogEvent) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    const history = new ChuyingHistory();
    history.submit();
    history.act(fundReviewer, { type: 'AcceptMaterials' });
    caseId = history.caseId;
    await appendToStream(database.db, { streamId: caseId, streamType: 'chuying-loan', expectedVersion: 0, events: asNewEvents(history.decided, caseId) }, { now: () => new Date(), project: projectReadModels });
    // The case page's route needs no Temporal: nothing here starts or signals a workflow.
    app = await buildApp({ db: api, temporal: undefined as never, taskQueue: 'unused', clock: () => new Date(), calendar: async () => packagedCalendar() });
  });
  afterAll(async () => {
    await app?.close();
    await api?.destroy();
    await database?.drop();
  });

  async function signIn(username: string): Promise<string> {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    return login.json<{ token: string }>().token;
  }
  const get = async (token: string, url: string) => {
    statements = [];
    return app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  };
  const readingSessions = () => statements.filter((s) => /\bsessions\b/.test(s));

  it('answers the department’s official from one statement that reads both', async () => {
    const token = await signIn('fund-reviewer');
    await get(token, `/api/cases/${caseId}`); // the first page of a process also makes the 查询码 key once
    const page = await get(token, `/api/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ caseId, status: 'compliance-review' });
    expect(readingSessions()).toHaveLength(1);
    expect(readingSessions()[0]).toMatch(/from "cases"/i);
    expect(statements.filter((s) => /from "cases"/i.test(s))).toHaveLength(1);
  });

  it('reads nothing for a session ended by 退出, and answers a missing case 404 after the session’s own look-up', async () => {
    const token = await signIn('fund-reviewer');
    const missing = await get(token, '/api/cases/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    // No row, so no session from that statement: the session was looked up on its own.
    expect(readingSessions()).toHaveLength(2);

    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } })).statusCode).toBeLessThan(300);
    const afterSignOut = await get(token, `/api/cases/${caseId}`);
    expect(afterSignOut.statusCode).toBe(401);
    expect(afterSignOut.body).not.toContain(caseId);
  });

  it('keeps another applicant’s case a 404, as a missing one', async () => {
    // The case is acct-applicant's; the demo applicant is someone else.
    const creator = await signIn('creator');
    const answer = await get(creator, `/api/cases/${caseId}`);
    expect(answer.statusCode).toBe(404);
    expect(answer.body).not.toContain('compliance-review');
  });
});
