import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ConcurrencyError } from '../db/event-store.js';
import { DomainError, wordingOf, type DomainErrorKind, type FieldIssue, type RefusalParams } from '../domain/errors.js';

const STATUS_BY_KIND: Record<DomainErrorKind | 'unauthenticated', number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'illegal-state': 409,
  concurrency: 409,
  conflict: 409,
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
    readonly extra: Record<string, unknown> = {},
    /** Headers the refusal needs (Allow on a 405, Retry-After on a wait). */
    readonly headers: Record<string, string> = {},
    /** The message in English, for logs and clients that ask for it (Accept-Language: en); `message` is plain Chinese. */
    readonly english?: string,
    /** The rule that refused (a domain refusal's code, e.g. director-approval-required) and the numbers it states. */
    readonly rule?: { code: string; params?: RefusalParams },
  ) {
    super(message);
  }
}

/** A domain refusal as an HTTP error: the kind's status, the Chinese message, the English and the rule beside it. */
export function fromDomainError(error: DomainError, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(STATUS_BY_KIND[error.kind], error.kind, error.message, error.issues, extra, {}, error.english, { code: error.code, params: error.params });
}

export const unauthenticated = (message = '请先登录：登录已过期或尚未登录。') =>
  new HttpError(401, 'unauthenticated', message, [], {}, {}, 'sign in first: send "Authorization: Bearer <token>" from POST /api/auth/login');

/**
 * A case that is not yours looks exactly like a case that does not exist. The id in the address is
 * not said back: it means nothing to a person (they know a case by its 申请编号, CY-2026-…), and the
 * answer must be the same whoever asks about whichever id.
 */
export const caseNotFound = () => new HttpError(404, 'not-found', '找不到这件办件，请检查链接或回到列表。', [], {}, {}, 'no such case: check the link, or go back to the list');

/** How a 401 tells the client which scheme to use (RFC 9110 §11.6.1). */
export const WWW_AUTHENTICATE = 'Bearer realm="youchuang"';

/** The code of the error shape for a status the framework refuses with, so that no FST_ERR_… code leaks. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'validation',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  411: 'length-required',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  431: 'headers-too-large',
};

/**
 * A body over the limit of a route that takes more than the API's 64 KiB (POST /api/audit/verify):
 * told that route's own limit, not the upload advice meant for a file sent as JSON.
 */
function withRouteBodyLimit(http: HttpError, request: FastifyRequest): HttpError {
  const limit = request.routeOptions?.bodyLimit;
  // Every other route's limit is the server's own (api/app.ts bodyLimit): its refusal says 64 KiB already.
  if (http.code !== 'payload-too-large' || limit === undefined || limit <= request.server.initialConfig.bodyLimit!) return http;
  const mib = Math.floor(limit / (1024 * 1024));
  return new HttpError(413, http.code, `提交的内容太大：此项每次最多 ${mib} MiB。`, [], {}, {}, `the request body is larger than ${mib} MiB, the most this route accepts`);
}

/** What Fastify refuses before a route sees the request, said plainly. */
const FRAMEWORK_REFUSALS: Record<string, { status: number; code: string; message: string; english: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload-too-large', message: '提交的内容太大：每次请求最多 64 KiB（文件请用上传材料功能）。', english: 'the request body is larger than 64 KiB, the most this API accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported-media-type', message: '提交的内容格式不对：请以 JSON 提交（content-type: application/json）。', english: 'send the body as JSON, with content-type: application/json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'validation', message: '提交的内容不是有效的 JSON。', english: 'the body is not valid JSON (or names __proto__ or constructor.prototype)' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'validation', message: '提交的内容是空的：请提交 {}，或不写 content-type。', english: 'the body is empty but content-type says JSON: send {} or leave out the content-type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'validation', message: '提交的内容长度与 content-length 不符。', english: 'content-length does not match the body' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri-too-long', message: '地址中的编号太长：本系统的编号都不超过 100 个字符。', english: 'a path parameter is longer than 100 characters: no id of this API is' },
  FST_ERR_BAD_URL: { status: 400, code: 'validation', message: '地址格式不对。', english: 'the path is not a well-formed URL path' },
  // A QUERY (or other body-carrying method) without a content-type: no route of this API serves one.
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: { status: 405, code: 'method-not-allowed', message: '本系统只接受 GET、HEAD、POST、PUT 和 DELETE 请求。', english: 'this API serves GET, HEAD, POST, PUT and DELETE only' },
};

/**
 * A domain refusal that failed a workflow or an update, back as the HTTP error it was: the kind's
 * status, the Chinese message, the issues (or the module's facts) and, from the second detail
 * (workflows/support/case-workflow.ts refusalFailure), the rule's code, English and parameters.
 * Undefined for a failure of any other type.
 */
export function fromRefusalFailure(failure: ApplicationFailure): HttpError | undefined {
  const kind = (failure.type ?? '') as DomainErrorKind;
  const status = STATUS_BY_KIND[kind];
  if (!status) return undefined;
  const details = failure.details?.[0];
  // The issues come first, or after the wording where the module's facts come first (refusalFailure).
  const issues = Array.isArray(details) ? (details as FieldIssue[]) : Array.isArray(failure.details?.[2]) ? (failure.details[2] as FieldIssue[]) : [];
  const extra = details && !Array.isArray(details) && typeof details === 'object' ? (details as Record<string, unknown>) : {};
  const wording = wordingOf(failure.details?.[1]);
  return new HttpError(status, kind, failure.message, issues, extra, {}, wording?.en, wording && { code: wording.code, ...(wording.params ? { params: wording.params } : {}) });
}

/** Turns any error into a status and a body that says what was wrong; a 5xx never leaks internals. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  // Two writes to one record at once, the later refused by the store: its own Chinese, as the workflow's failure carries it; the version it is at beside it, as a stale action's answer has it.
  if (error instanceof ConcurrencyError) return fromDomainError(error, { currentVersion: error.actualVersion });
  if (error instanceof DomainError) return fromDomainError(error);
  // A refusal raised inside an activity reaches the client wrapped in an ActivityFailure.
  const updateFailure = error instanceof WorkflowUpdateFailedError ? unwrapActivityFailure(error.cause) : undefined;
  if (updateFailure instanceof ApplicationFailure) {
    const refusal = fromRefusalFailure(updateFailure);
    if (refusal) return refusal;
  }
  if (error instanceof WorkflowNotFoundError) return new HttpError(404, 'not-found', '这件办件没有在办理中。', [], {}, {}, 'no such case is running');
  const fastifyError = error as FastifyError;
  const clearer = FRAMEWORK_REFUSALS[fastifyError?.code ?? ''];
  if (clearer) return new HttpError(clearer.status, clearer.code, clearer.message, [], {}, {}, clearer.english);
  if (fastifyError?.statusCode && fastifyError.statusCode < 500) {
    return new HttpError(fastifyError.statusCode, CODE_BY_STATUS[fastifyError.statusCode] ?? 'bad-request', '请求无法处理：请检查后重试。', [], {}, {}, fastifyError.message);
  }
  return new HttpError(500, 'internal', '系统出了问题，已记录下来；您填写的内容没有丢失，请稍后重试。', [], {}, {}, 'something went wrong on our side; it has been logged');
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const http = withRouteBodyLimit(toHttpError(error), request);
  if (http.status >= 500) request.log.error({ err: error }, 'request failed');
  if (http.status === 401) reply.header('www-authenticate', WWW_AUTHENTICATE);
  reply.headers(http.headers);
  // A link opened in the browser (a document or a 决定书 someone forwarded) is answered with a page, not with JSON.
  if (isPageRequest(request)) return reply.status(http.status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(errorPage(http.status, http.message));
  return reply.status(http.status).send(refusalBody(http, request));
}

/**
 * The body of a refusal, in the language the request asks for: what every route answers with, and
 * what a bulk request says of each item refused (the single request's own answer).
 */
export interface RefusalBody {
  error: string;
  code: string;
  params?: RefusalParams;
  message: string;
  issues?: Omit<FieldIssue, 'english'>[];
  /** Facts some refusals add (retryAfterSeconds on a 429, currentVersion on a stale version). */
  [fact: string]: unknown;
}

export function refusalBody(http: HttpError, request: FastifyRequest): RefusalBody {
  const english = prefersEnglish(request);
  const issues = http.issues.map(({ english: issueInEnglish, ...issue }) => (english && issueInEnglish ? { ...issue, message: issueInEnglish } : issue));
  const message = english && http.english ? http.english : http.message;
  // `code` names the rule that refused, in either language; a refusal without a rule of its own repeats its kind.
  const rule = { code: http.rule?.code ?? http.code, ...(http.rule?.params && Object.keys(http.rule.params).length ? { params: http.rule.params } : {}) };
  return { error: http.code, ...rule, message, ...(issues.length ? { issues } : {}), ...http.extra };
}

/**
 * Whether the browser itself navigated here (a link opened, an address typed), as opposed to the
 * web app's or another client's call: browsers say so (Sec-Fetch-Mode: navigate), and put text/html
 * first in what they accept. An outside tester opened a colleague's document link and read raw JSON.
 */
export function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  if (request.headers['sec-fetch-mode'] === 'navigate') return true;
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.split(',')[0]?.trim().toLowerCase() === 'text/html';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What a person reads when a link cannot be opened: why, in the refusal's own words, and where to go next. */
function errorPage(status: number, message: string): string {
  const title = status === 401 ? '请先登录' : status === 403 ? '无权查看' : status === 404 ? '找不到该内容' : status >= 500 ? '系统暂时无法处理' : '无法打开';
  const hint =
    status === 401
      ? '登录后再打开此链接即可。'
      : status === 404
        ? '链接可能有误，或该内容不属于您可查看的办件（他人的办件与不存在的办件一样，不予显示）。'
        : '如有疑问，请联系办理部门。';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · 优创</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f9;color:#1f2933}main{max-width:36rem;margin:12vh auto;padding:1.5rem 1.75rem;background:#fff;border:1px solid #d9dee5;border-radius:8px}h1{font-size:1.3rem;margin:0 0 .75rem}p{line-height:1.7}a{color:#0b5cad}</style>
</head><body><main><h1>${title}</h1><p>${escapeHtml(message)}</p><p>${hint}</p><p><a href="/">${status === 401 ? '前往登录' : '返回首页'}</a></p></main></body></html>`;
}

function unwrapActivityFailure(cause: Error | undefined): Error | undefined {
  let current = cause;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  return current;
}

/**
 * Whether the client asked for English first (Accept-Language: en, en-US …): API clients and logs
 * may; people get plain Chinese, which is also what a browser asking for anything else gets.
 */
export function prefersEnglish(request: FastifyRequest): boolean {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return false;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag === 'en' || (ranked[0]?.tag.startsWith('en-') ?? false);
}
