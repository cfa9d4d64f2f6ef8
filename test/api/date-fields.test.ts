import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { apiRoutes } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { fieldPaths } from '../../api/field-names.js';
import { errorHandler } from '../../api/http-errors.js';
import { concreteRoutes, registerRoutes, route } from '../../api/route.js';
import '../../api/validation-messages.js';
import { CASE_MODULES } from '../../cases/registry.js';

/**
 * A date given as null or as a number is told as a date (应为日期，写作“年-月-日”), not as 文字: an
 * outside tester reported 迁离 with `leftOn: null` and read 迁离日期：应为文字.
 */
const routes = concreteRoutes(apiRoutes({ db: {}, temporal: {}, taskQueue: 'messages', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies));
const bodies: { where: string; schema: ZodType }[] = [
  ...routes.filter((r) => r.body).map((r) => ({ where: `${r.method} ${r.url}`, schema: r.body! })),
  ...CASE_MODULES.flatMap((module) => module.actions.filter((a) => a.body).map((a) => ({ where: `${module.caseType} ${a.name}`, schema: a.body as ZodType }))),
];

function bodyWith(path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  return /^\d+$/.test(head!) ? [bodyWith(rest, value)] : { [head!]: bodyWith(rest, value) };
}

const messageAt = (schema: ZodType, path: readonly string[], value: unknown) =>
  schema.safeParse(bodyWith(path, value)).error?.issues.find((issue) => issue.path.join('.') === path.join('.'))?.message;

describe('a date field given anything but text', () => {
  it('reports 迁离 with leftOn null or a number: 迁离日期 is told as a date, left out as missing', async () => {
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    const left = CASE_MODULES.find((m) => m.caseType === 'application')!.actions.find((a) => a.name === 'report-left-yangpu')!;
    registerRoutes(app, [route({ method: 'POST', url: '/left', summary: 'left', tag: 'test', access: 'public', body: left.body as ZodType, handle: async () => ({}) })], async () => undefined);
    for (const leftOn of [null, 20261201, 1_764_547_200_000]) {
      const answer = await app.inject({ method: 'POST', url: '/left', payload: { leftOn } });
      expect(answer.json().message).toBe('请修改以下 1 处：迁离日期：应为日期，写作“年-月-日”，如 2026-12-02');
    }
    const missing = await app.inject({ method: 'POST', url: '/left', payload: {} });
    expect(missing.json().message).toBe('请修改以下 1 处：迁离日期：必须填写');
    await app.close();
  });

  it('is never told 应为文字 on any body: a field that takes a date is told it wants one', () => {
    const asText: string[] = [];
    for (const { where, schema } of bodies) {
      for (const path of fieldPaths(schema)) {
        // A field that takes a date answers a day that does not exist in words of dates.
        if (!/日期|时间/.test(messageAt(schema, path, '2026-02-30') ?? '')) continue;
        for (const value of [null, 20261201]) {
          const message = messageAt(schema, path, value);
          if (message !== undefined && !/日期|北京时间/.test(message)) asText.push(`${where} ${path.join('.')} = ${String(value)}: ${message}`);
        }
      }
    }
    expect(asText).toEqual([]);
  });
});
