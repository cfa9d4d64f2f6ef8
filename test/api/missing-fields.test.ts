import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { apiRoutes } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { errorHandler } from '../../api/http-errors.js';
import { concreteRoutes, registerRoutes, route } from '../../api/route.js';
import '../../api/validation-messages.js';
import { CASE_MODULES } from '../../cases/registry.js';

/**
 * A required field left out is told as missing (必须填写), whatever the field's schema says of a
 * wrong value there: an outside tester opened a call without a budget and read 金额应为整数.
 */
const routes = concreteRoutes(apiRoutes({ db: {}, temporal: {}, taskQueue: 'messages', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies));

const bodies: { where: string; schema: ZodType }[] = [
  ...routes.filter((r) => r.body).map((r) => ({ where: `${r.method} ${r.url}`, schema: r.body! })),
  ...CASE_MODULES.flatMap((module) => module.actions.filter((a) => a.body).map((a) => ({ where: `${module.caseType} ${a.name}`, schema: a.body as ZodType }))),
];

/** Every body behind a route of its own that takes anything, so that the API's own parsing answers. */
async function appOfEveryBody() {
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  registerRoutes(
    app,
    bodies.map(({ schema }, index) => route({ method: 'POST', url: `/body/${index}`, summary: 'a body', tag: 'test', access: 'public', body: schema, handle: async () => ({}) })),
    async () => undefined,
  );
  await app.ready();
  return app;
}

interface Refusal {
  message: string;
  issues: { field: string; message: string; code: string }[];
}

describe('a required field left out', () => {
  it('is told as missing at its field, on every body: a call opened without a budget is told to give one', async () => {
    const app = await appOfEveryBody();
    const call = bodies.findIndex(({ where }) => where === 'POST /api/cases/call');
    const opened = await app.inject({ method: 'POST', url: `/body/${call}`, payload: { programmeId: 'yangpu-content-award', title: '2027 年度评选', opensAt: '2027-01-01T09:00', closesAt: '2027-02-01T09:00', mode: 'first-come' } });
    expect(opened.statusCode).toBe(400);
    expect(opened.json<Refusal>().issues).toEqual([expect.objectContaining({ field: 'budgetFen', message: '必须填写' })]);
    expect(opened.json<Refusal>().message).toBe('请修改以下 1 处：预算（元）：必须填写');

    const wrongKind: string[] = [];
    for (const [index, { where }] of bodies.entries()) {
      const answer = await app.inject({ method: 'POST', url: `/body/${index}`, payload: {} });
      if (answer.statusCode !== 400) continue;
      for (const issue of answer.json<Refusal>().issues) {
        if (issue.code === 'invalid_type' && issue.message !== '必须填写') wrongKind.push(`${where} ${issue.field}: ${issue.message}`);
      }
    }
    expect(wrongKind).toEqual([]);
    // A value of the wrong kind is still told as such.
    const half = await app.inject({ method: 'POST', url: `/body/${call}`, payload: { programmeId: 'yangpu-content-award', title: '2027 年度评选', opensAt: '2027-01-01T09:00', closesAt: '2027-02-01T09:00', mode: 'first-come', budgetFen: 1.5 } });
    expect(half.json<Refusal>().issues).toEqual([expect.objectContaining({ field: 'budgetFen', message: expect.stringContaining('金额应为整数') })]);
    await app.close();
  });
});
