import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { fieldName, fieldPaths } from '../../api/field-names.js';
import { concreteRoutes } from '../../api/route.js';
import { alternatives } from '../support/schema-alternatives.js';
import { createChuyingLoanCaseBody } from '../../api/schemas/chuying-loan.schemas.js';

const routes = concreteRoutes(apiRoutes({ db: {}, temporal: {}, taskQueue: 'names', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies));


describe('every field of the API has a Chinese name for the refusal that names it', () => {
  it('names each field of every route’s path, query and body (a field added without one fails here)', () => {
    const unnamed: string[] = [];
    let fields = 0;
    for (const route of routes) {
      for (const where of ['path', 'query', 'body'] as const) {
        const declared = where === 'path' ? route.params : where === 'query' ? route.query : route.body;
        for (const schema of alternatives(declared)) {
          for (const path of fieldPaths(schema)) {
            fields++;
            const field = where === 'body' ? path.join('.') : [where, ...path].join('.');
            if (!fieldName(schema, field, where)) unnamed.push(`${route.method} ${route.url} ${where}: ${path.join('.')}`);
          }
        }
      }
    }
    expect(fields).toBeGreaterThan(300);
    expect(unnamed).toEqual([]);
  });

  it('names the request as a whole, a list’s items by number and the fields inside them', () => {
    expect(fieldName(undefined, 'query', 'query')).toBe('查询参数');
    expect(fieldName(undefined, 'body', 'body')).toBe('请求内容');
    const actionBody = routes.find((r) => r.url.endsWith('/request-supplement'))!.body!;
    expect(fieldName(alternatives(actionBody)[0], 'missingItems.1', 'body')).toMatch(/第 2 项$/);
    const answer = routes.find((r) => r.url.endsWith('/provide-supplement'))!.body!;
    expect(fieldName(alternatives(answer)[0], 'responses.0.item', 'body')).toMatch(/第 1 项的/);
    expect(fieldName(createChuyingLoanCaseBody, 'requestedAmountFen', 'body')).toBe('申请金额');
    expect(fieldName(undefined, 'facts.loanLender', 'body')).toBe('贷款银行');
    expect(fieldName(undefined, 'query.noSuchField', 'query')).toBeUndefined();
  });
});
