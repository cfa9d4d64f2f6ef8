import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../api/app.js';
import type { ApiDependencies } from '../../api/dependencies.js';
import { plainChinese } from '../../api/validation-messages.js';
import { applicationFactsBody } from '../../api/schemas/programme.schemas.js';
import { reasonLines, referenceText } from '../../cases/fields.js';
import { parse } from '../../api/route.js';
import { HttpError } from '../../api/http-errors.js';
import { createDb } from '../../db/client.js';

/**
 * Issue 15: every message a person sees is plain Chinese, from one place, with every field's problem
 * at once; English only for clients that ask for it with Accept-Language. Routes here reach neither
 * the database nor Temporal.
 */
describe('refusals in plain Chinese, every field at once, English on request', () => {
  const deps = { db: createDb('postgres://nobody@127.0.0.1:1/none'), temporal: {}, taskQueue: 'errors', clock: () => new Date(), calendar: async () => ({}) } as unknown as ApiDependencies;
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(deps);
  });
  afterAll(async () => {
    await app.close();
    await deps.db.destroy();
  });

  const deadline = (query: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/api/calendar/deadline?${query}`, headers });

  it('lists every refused field in one answer, each in Chinese with the kind of check that refused it', async () => {
    const response = await deadline('submittedAt=yesterday&workingDays=0&colour=red');
    expect(response.statusCode).toBe(400);
    const body = response.json<{ message: string; issues: { field: string; message: string; code?: string }[] }>();
    expect(body.issues.map((i) => i.field).sort()).toEqual(['query', 'query.submittedAt', 'query.workingDays']);
    // The unknown key quoted back as sent, plainly a key that means nothing here; the fields the query does take by their names, never by their keys.
    expect(body.issues.find((i) => i.field === 'query')).toMatchObject({ message: '不认识的字段「colour」，请删去；这里可以填写的是：提交时间、工作日数', code: 'unrecognized_keys' });
    expect(body.message).toMatch(/^请修改以下 3 处：/);
    // The sentence names each field as a person knows it, not by the API's key (submittedAt).
    expect(body.message).toContain('查询参数：不认识的字段「colour」');
    expect(body.message).toContain('提交时间：');
    expect(body.message).toContain('工作日数：');
    expect(body.message.replace(/“[^”]*”|「[^」]*」/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    // No English word in what a person reads, beyond what they typed, quoted back to them.
    const words = body.issues.flatMap((i) => i.message.replace(/“[^”]*”|「[^」]*」/g, '').match(/[A-Za-z]{3,}/g) ?? []);
    expect(words).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('english');
  });

  it('tells a value of the wrong kind as that alone, not also by a size limit the field does not have', () => {
    // A text sent for a list of at most 20 reasons had also been told 最多 20 个字.
    const body = z.strictObject({ reasons: reasonLines('不予支持的理由') });
    let refused: unknown;
    try {
      parse(body, { reasons: '申报材料与实际经营情况不符，且未在规定期限内补正，故不予支持。' }, 'body');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).issues.map((i) => [i.field, i.message])).toEqual([['reasons', '应为列表']]);
    // A list too long is told by its own limit.
    expect(() => parse(body, { reasons: Array.from({ length: 21 }, (_, i) => `理由${i}`) }, 'body')).toThrow('最多 20 项');
  });

  it('names the field of a control character by its name too, before any schema reads it', async () => {
    const response = await deadline('submittedAt=2026-12-02T10:00:00%2B08:00%00&workingDays=2');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'validation', issues: [{ field: 'query.submittedAt', code: 'malformed-input' }] });
    expect(response.json().message).toMatch(/^提交时间：含有系统无法接受的字符/);
  });

  it('answers in English when the client asks for it first (Accept-Language: en)', async () => {
    const response = await deadline('submittedAt=yesterday&workingDays=2&colour=red', { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ message: string; issues: { field: string; message: string }[] }>();
    expect(body.message).toMatch(/^invalid query: /);
    expect(body.issues.find((i) => i.field === 'query')?.message).toBe('unknown field(s): colour');
    // A browser that prefers Chinese (or anything else) gets Chinese.
    const chinese = await deadline('submittedAt=yesterday&workingDays=2', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(chinese.json().message).toMatch(/^请修改以下 1 处：/);
  });

  it('says a missing route and an unsigned request in Chinese too', async () => {
    const nowhere = await app.inject({ method: 'GET', url: '/api/nowhere' });
    expect(nowhere.json()).toMatchObject({ error: 'not-found', message: '没有这个页面或接口：请核对地址。' });
    const english = await app.inject({ method: 'GET', url: '/api/nowhere', headers: { 'accept-language': 'en' } });
    expect(english.json().message).toBe('no route GET /api/nowhere');
    const me = await app.inject({ method: 'GET', url: '/api/me' });
    expect(me.json().message).toMatch(/^请先登录/);
  });

  it('words each check of a schema without a message of its own for people', () => {
    const issuesOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues.map((i) => i.message);
    expect(issuesOf(z.strictObject({ name: z.string() }), {})).toEqual(['必须填写']);
    expect(issuesOf(z.string().min(1), '')).toEqual(['不能为空']);
    expect(issuesOf(z.string().max(3), 'abcd')).toEqual(['最多 3 个字']);
    expect(issuesOf(z.int().min(10_000), 5)).toEqual(['不能小于 10,000']);
    expect(issuesOf(z.number().positive(), 0)).toEqual(['必须大于 0']);
    expect(issuesOf(z.array(z.string()).min(1), [])).toEqual(['至少填写一项']);
    expect(issuesOf(z.enum(['ordinary', 'key']), 'other')).toEqual(['只能是以下之一：“ordinary”、“key”']);
    // Values a schema names are said by their names, each with the code a client sends.
    expect(issuesOf(z.enum(['ordinary', 'key']).meta({ enumLabels: { ordinary: '普通', key: '重点' } }), 'other')).toEqual(['只能是以下之一：普通（“ordinary”）、重点（“key”）']);
    // A reference or an item's id is one a person can read back: no emoji; Chinese, its punctuation and full-width letters are fine.
    expect(issuesOf(referenceText(100), '😀😀')).toEqual(['只能含字母、数字、汉字、中文标点和 - _ / . : # ( ) 等符号，不能含表情等其他符号']);
    for (const fine of ['R-2026/12#1', '《城市之光》第 1 集', 'ＷＸ－１２', '杨浦·星河', '星河——第二季', '“外滩”…续‐集']) expect(referenceText(100).safeParse(fine).success, fine).toBe(true);
    // An application's applicant kind names its kinds (an outside tester was told the codes only).
    expect(issuesOf(applicationFactsBody, { applicantKind: 'individual' })[0]).toMatch(/^只能是以下之一：个人创作者（“individual-creator”）、创作团队\/工作室（“creator-team”）、企业（“company”）/);
    expect(issuesOf(z.uuid(), 'x')[0]).toMatch(/^应为系统编号/);
    expect(issuesOf(z.record(z.string(), z.string()), 'x')).toEqual(['应为一组字段']);
    expect(plainChinese({ code: 'invalid_type', expected: 'number', input: 'x' } as never)).toBe('应为数字');
  });
});
