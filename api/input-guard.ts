import { TextDecoder } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import { namedProblem } from './field-names.js';
import { HttpError } from './http-errors.js';

/**
 * The API's first line against hostile input, for every route, before any schema sees the value:
 * bodies that are not well-formed UTF-8, control characters (NUL included; tab, line feed and
 * carriage return are text), lone UTF-16 surrogates (from "\ud800" escapes: malformed Unicode that
 * PostgreSQL cannot store), and nesting deeper than any request of this API needs.
 */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_DEPTH = 16;

const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(value: string): string | undefined {
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters (NUL included)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
}

/** The first problem found (a field path and what is wrong), walking iteratively so depth cannot exhaust the stack. */
export function inputProblem(value: unknown): { field: string; message: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) return { field: path, message: problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_DEPTH) return { field: path, message: `nested deeper than ${MAX_DEPTH} levels` };
    for (const [key, child] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      const keyProblem = stringProblem(key);
      if (keyProblem) return { field: path || '(key)', message: `a field name ${keyProblem}` };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}

export function assertWellFormedInput(value: unknown, where: 'path' | 'query' | 'body', schema?: ZodType): void {
  const problem = inputProblem(value);
  if (!problem) return;
  const field = [where === 'body' ? '' : where, problem.field].filter(Boolean).join('.') || where;
  const message = '含有系统无法接受的字符或结构（如控制字符、不完整的文字编码或层级过深），请删去后重试';
  throw new HttpError(400, 'validation', `${namedProblem(schema, { field, message }, where)}。`, [{ field, message, code: 'malformed-input', english: problem.message }], {}, {}, `invalid ${where}: ${field}: ${problem.message}`);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * JSON bodies are decoded strictly: malformed UTF-8 is refused rather than silently replaced with
 * U+FFFD. Prototype pollution (__proto__, constructor.prototype) is refused by Fastify's parser.
 */
export function installStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new HttpError(400, 'validation', '提交的内容不是有效的 UTF-8 文字。', [{ field: 'body', message: '不是有效的 UTF-8 文字', code: 'malformed-utf8', english: 'malformed UTF-8' }], {}, {}, 'the body is not well-formed UTF-8'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
