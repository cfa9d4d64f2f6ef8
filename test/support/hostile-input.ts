import fc from 'fast-check';
import { z, type ZodType } from 'zod';
import type { RouteDefinition } from '../../api/route.js';

/**
 * Requests generated from a route's own zod schemas (through their JSON Schema, the same one the
 * OpenAPI document shows): valid-shaped ones, and hostile ones that each carry at least one defect
 * the API must refuse — so every hostile request is invalid by construction, and must be answered
 * 400 (413 for an oversized body, 415 for a body that is not JSON), change nothing, and never reach
 * a handler.
 */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: (string | number | boolean)[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  default?: unknown;
}

export const jsonSchemaOf = (schema: ZodType | undefined): JsonSchema =>
  schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : { type: 'object', properties: {}, additionalProperties: false };

const TEXT_UNITS = fc.constantFrom(...'abcXYZ019 -_.申请材料审查杨浦黄浦上海微短剧'.split(''));

/** A value of the schema's shape (refinements that JSON Schema cannot say, such as real dates, may still fail). */
export function validShaped(s: JsonSchema, inQuery = false): fc.Arbitrary<unknown> {
  if (s.anyOf?.length) return fc.oneof(...s.anyOf.map((branch) => validShaped(branch, inQuery)));
  const asQuery = <T>(arb: fc.Arbitrary<T>) => (inQuery ? arb.map((v) => String(v)) : arb);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'object': {
      const properties = s.properties ?? {};
      const required = s.required ?? [];
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, child] of Object.entries(properties)) record[name] = validShaped(child, inQuery);
      return fc.record(record, { requiredKeys: required.filter((r) => r in properties) });
    }
    case 'string': {
      if (s.format === 'uuid') return fc.uuid();
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? Infinity));
      const min = Math.max(1, s.minLength ?? 0);
      return fc.string({ unit: TEXT_UNITS, minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? 24, 24)) });
    }
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      return asQuery(fc.integer({ min, max: Math.max(min, Math.min(s.maximum ?? 2_000_000_000, 2_000_000_000)) }));
    }
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 0.01 : 0);
      return asQuery(fc.double({ min, max: Math.max(min, s.maximum ?? 1e6), noNaN: true, noDefaultInfinity: true }));
    }
    case 'boolean':
      return asQuery(fc.boolean());
    case 'array':
      return fc.array(validShaped(s.items ?? {}, inQuery), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
    default:
      return fc.oneof(fc.string({ unit: TEXT_UNITS, maxLength: 8 }), fc.integer(), fc.boolean());
  }
}

/** A simple value that fits the type (for filling arrays past their maximum). */
function filler(s: JsonSchema): unknown {
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'string':
      return 'x';
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return 'x';
  }
}

/** Nested arrays or objects, deeper than any request of this API (the guard refuses more than 16 levels). */
export const deepNesting = (levels: number, kind: 'array' | 'object' = 'array'): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
};

const SAFE_LIMIT = 2 ** 53;

/** Values the schema must refuse, each for a reason of its own. */
export function invalidValuesFor(s: JsonSchema): unknown[] {
  const always = [deepNesting(40), 'a\u0000b', '\ud800', 'x\u001b[31my', 'tail\udfff'];
  if (s.anyOf?.length) return always;
  if (s.enum) return [...always, 'not-one-of-them-🙂', ...(typeof s.enum[0] === 'string' ? [1, true, null] : ['1'])];
  switch (s.type) {
    case 'string':
      return [
        ...always,
        42,
        true,
        null,
        {},
        ['x'],
        ...(s.maxLength !== undefined ? ['字'.repeat(s.maxLength + 1)] : []),
        ...(s.minLength !== undefined && s.minLength >= 1 ? [''] : []),
        ...(s.format === 'uuid' ? ['not-a-uuid', '00000000-0000-0000-0000-00000000000g'] : []),
      ];
    case 'integer': {
      const values: unknown[] = [...always, 1.5, 0.000001, SAFE_LIMIT, -SAFE_LIMIT, 1e21, -1e21, '100', '1', true, null, [1], { value: 1 }];
      if (s.maximum !== undefined && s.maximum < SAFE_LIMIT - 1) values.push(s.maximum + 1);
      if (s.minimum !== undefined && s.minimum > -SAFE_LIMIT) values.push(s.minimum - 1);
      if (s.exclusiveMinimum !== undefined) values.push(s.exclusiveMinimum, s.exclusiveMinimum - 1);
      return values;
    }
    case 'number': {
      const values: unknown[] = [...always, '1.5', '1', true, null, [], {}];
      if (s.maximum !== undefined) values.push(s.maximum + 1, 1e308);
      if (s.minimum !== undefined) values.push(s.minimum - 1);
      if (s.exclusiveMinimum !== undefined) values.push(s.exclusiveMinimum, -1e308);
      return values;
    }
    case 'boolean':
      return [...always, 'true', 'false', 1, 0, null, [], {}];
    case 'array': {
      const item = s.items ?? {};
      const values: unknown[] = [...always, 'x', {}, 1, null, [invalidValuesFor(item)[1]]];
      if (s.maxItems !== undefined && s.maxItems <= 2000) values.push(Array.from({ length: s.maxItems + 1 }, () => filler(item)));
      if (s.minItems !== undefined && s.minItems >= 1) values.push([]);
      return values;
    }
    case 'object':
      return [...always, 'x', [], 1, null, true, deepNesting(40, 'object')];
    default:
      return always;
  }
}

/** Values a query string must refuse, written as strings (each query value arrives as one). */
function invalidQueryValuesFor(s: JsonSchema): (string | string[])[] {
  const values: (string | string[])[] = ['a\u0000b', '\u0007', ['1', '2']];
  if (s.maxLength !== undefined) values.push('x'.repeat(s.maxLength + 1));
  if (s.enum) values.push('not-one-of-them');
  if (s.type === 'integer' || s.type === 'number') {
    values.push('abc', '1e400', '9007199254740993', '0x10');
    if (s.type === 'integer') values.push('1.5');
    if (s.maximum !== undefined) values.push(String(s.maximum + 1));
    if (s.minimum !== undefined) values.push(String(s.minimum - 1));
  }
  if (s.format === 'uuid') values.push('not-a-uuid');
  return values;
}

/** Field names nobody may set: if the schema does not name them, sending them is refused. */
const FORBIDDEN_FIELDS = ['status', 'approvedBy', 'department', 'applicantAccountId', 'role', 'duties', 'caseId', 'version', 'decidedBy', 'approvedAmountFen', 'accountId', 'passwordHash', 'isAdmin', 'referenceNo'];

interface SchemaPath {
  path: (string | number)[];
  schema: JsonSchema;
  required: boolean;
  /** Every step of the path is an object property (no array items): a required field can be deleted there. */
  throughObjectsOnly: boolean;
}

function schemaPaths(s: JsonSchema, path: (string | number)[] = [], required = true, throughObjectsOnly = true): SchemaPath[] {
  const here: SchemaPath[] = [{ path, schema: s, required, throughObjectsOnly }];
  if (s.type === 'object' && s.properties) {
    for (const [name, child] of Object.entries(s.properties)) here.push(...schemaPaths(child, [...path, name], (s.required ?? []).includes(name), throughObjectsOnly));
  }
  if (s.type === 'array' && s.items) here.push(...schemaPaths(s.items, [...path, 0], true, false));
  return here;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Sets a value at a path, making the objects and arrays on the way. */
function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const base = (root !== null && typeof root === 'object' ? root : typeof path[0] === 'number' ? [] : {}) as Record<string | number, unknown>;
  base[path[0]!] = setAt(base[path[0]!], path.slice(1), value);
  return base;
}

function objectAt(root: unknown, path: (string | number)[]): Record<string, unknown> | undefined {
  let current = root;
  for (const step of path) current = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[step] : undefined;
  return current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : undefined;
}

export interface GeneratedRequest {
  kind: string;
  defect: string;
  method: RouteDefinition['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** The path was altered: the router may answer 404 before any route is matched. */
  alteredPath: boolean;
}

function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(one))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

const urlWith = (route: RouteDefinition, params: Record<string, string>) => route.url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]!));

export interface RequestContext {
  /** Real values for the route's path parameters (a case the caller may act on, a real programme …). */
  params: Record<string, string>;
  /** The caller's sign-in. */
  headers: Record<string, string>;
}

/** Valid-shaped requests: the route's own schemas, on real path parameters. */
export function validShapedRequests(route: RouteDefinition, context: RequestContext): fc.Arbitrary<GeneratedRequest> {
  const query = validShaped(jsonSchemaOf(route.query), true);
  const body = route.method === 'GET' ? fc.constant(undefined) : validShaped(jsonSchemaOf(route.body));
  return fc.tuple(query, body, fc.option(fc.stringMatching(/^[\x21-\x7e]{8,40}$/), { nil: undefined })).map(([q, b, key]) => ({
    kind: 'valid-shaped',
    defect: 'none',
    method: route.method,
    url: `${urlWith(route, context.params)}${queryString(q as Record<string, unknown>)}`,
    headers: { ...context.headers, ...(b === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { 'idempotency-key': key } : {}) },
    ...(b === undefined ? {} : { payload: JSON.stringify(b) }),
    alteredPath: false,
  }));
}

/** Hostile requests: each is a valid-shaped one with at least one defect the API must refuse. */
export function hostileRequests(route: RouteDefinition, context: RequestContext): fc.Arbitrary<GeneratedRequest> {
  const querySchema = jsonSchemaOf(route.query);
  const bodySchema = jsonSchemaOf(route.body);
  const hasBody = route.method !== 'GET';
  const baseQuery = validShaped(querySchema, true) as fc.Arbitrary<Record<string, unknown>>;
  const baseBody = (hasBody ? validShaped(bodySchema) : fc.constant(undefined)) as fc.Arbitrary<unknown>;
  const signedIn = 'authorization' in context.headers;

  const request = (kind: string, defect: string, query: Record<string, unknown>, body: unknown, extra: Partial<GeneratedRequest> = {}): GeneratedRequest => ({
    kind,
    defect,
    method: route.method,
    url: `${urlWith(route, context.params)}${queryString(query)}`,
    headers: { ...context.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    ...(hasBody ? { payload: body === undefined ? '{}' : JSON.stringify(body) } : {}),
    alteredPath: false,
    ...extra,
  });

  const arbitraries: fc.Arbitrary<GeneratedRequest>[] = [];

  // The query: an unknown parameter, or a bad value for a known one.
  const queryFields = Object.entries(querySchema.properties ?? {});
  arbitraries.push(
    fc
      .tuple(baseQuery, baseBody, fc.constantFrom(...FORBIDDEN_FIELDS, '__proto__', 'constructor', '查询').filter((f) => !(f in (querySchema.properties ?? {}))), fc.string({ maxLength: 8 }))
      .map(([q, b, field, value]) => request('query', `unknown query parameter ${field}`, { ...q, [field]: value }, b)),
  );
  if (queryFields.length) {
    arbitraries.push(
      fc
        .tuple(baseQuery, baseBody, fc.constantFrom(...queryFields.flatMap(([name, s]) => invalidQueryValuesFor(s).map((v) => [name, v] as const))))
        .map(([q, b, [name, value]]) => request('query', `query ${name} = ${JSON.stringify(value).slice(0, 40)}`, { ...q, [name]: value }, b)),
    );
    const required = querySchema.required ?? [];
    if (required.length) {
      arbitraries.push(
        fc.tuple(baseQuery, baseBody, fc.constantFrom(...required)).map(([q, b, name]) => {
          const { [name]: _dropped, ...rest } = q;
          return request('query', `query ${name} missing`, rest, b);
        }),
      );
    }
  }

  // The path: a parameter that is not what it must be.
  const paramNames = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (paramNames.length) {
    const badParam = fc.oneof(
      fc.constantFrom('\u0000', 'a\u0000b', 'not-a-uuid', '%', '字'.repeat(300), 'ABC', '1 OR 1=1', "'; DROP TABLE cases; --", '../../etc/passwd'),
      fc.string({ minLength: 1, maxLength: 30 }).filter((v) => v !== '.' && v !== '..' && !/^[0-9a-f-]{36}$/.test(v) && !/^[a-z0-9-]{1,80}$/.test(v) && !/^\d{4}$/.test(v)),
    );
    arbitraries.push(
      fc.tuple(baseQuery, baseBody, fc.constantFrom(...paramNames), badParam).map(([q, b, name, value]) =>
        request('path', `path ${name} = ${JSON.stringify(value).slice(0, 40)}`, q, b, {
          url: `${route.url.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(p === name ? value : context.params[p]!))}${queryString(q)}`,
          alteredPath: true,
        }),
      ),
    );
  }

  if (hasBody) {
    const paths = schemaPaths(bodySchema);
    const objectPaths = paths.filter((p) => p.schema.type === 'object');
    // An unknown field at any level: nobody may set status, approvedBy, department …
    arbitraries.push(
      fc.tuple(baseQuery, baseBody, fc.constantFrom(...objectPaths), fc.constantFrom(...FORBIDDEN_FIELDS, 'extra', '字段')).chain(([q, b, at, field]) => {
        if (at.schema.properties && field in at.schema.properties) return fc.constant(request('body', `known field ${field} given twice`, q, setAt(clone(b), [...at.path, 'zzUnknownField'], 1)));
        const body = clone(b);
        const target = objectAt(body, at.path) ?? {};
        target[field] = 'x';
        return fc.constant(request('body', `unknown field ${[...at.path, field].join('.')}`, q, at.path.length ? setAt(body, at.path, target) : target));
      }),
    );
    // A bad value anywhere: wrong type, float or negative or beyond 2^53 for an amount, NUL, a lone surrogate, too long, deep.
    const valuePaths = paths.filter((p) => p.path.length > 0);
    if (valuePaths.length) {
      const choices = valuePaths.flatMap((p) => invalidValuesFor(p.schema).map((value) => ({ path: p.path, value })));
      arbitraries.push(
        fc.tuple(baseQuery, baseBody, fc.constantFrom(...choices)).map(([q, b, { path, value }]) =>
          request('body', `${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`, q, setAt(clone(b), path, clone(value))),
        ),
      );
    }
    // A required field left out.
    const requiredPaths = paths.filter((p) => p.path.length > 0 && p.required && p.throughObjectsOnly);
    if (requiredPaths.length) {
      arbitraries.push(
        fc.tuple(baseQuery, baseBody, fc.constantFrom(...requiredPaths)).map(([q, b, { path }]) => {
          const body = clone(b) ?? {};
          const parentPath = path.slice(0, -1);
          const parent = objectAt(body, parentPath) ?? {};
          delete parent[path.at(-1) as string];
          return request('body', `required ${path.join('.')} missing`, q, parentPath.length ? setAt(body, parentPath, parent) : parent);
        }),
      );
    }
    // The whole body of the wrong kind.
    arbitraries.push(
      fc.tuple(baseQuery, fc.constantFrom<unknown>([], 'a string', 42, true, null, deepNesting(100), deepNesting(60, 'object'))).map(([q, body]) => request('body', `body = ${JSON.stringify(body).slice(0, 30)}`, q, body)),
    );
    // Bytes that are not the JSON they claim to be.
    const raw = (defect: string, payload: string | Buffer, contentType = 'application/json') =>
      baseQuery.map((q) => request('raw', defect, q, undefined, { payload, headers: { ...context.headers, 'content-type': contentType } }));
    arbitraries.push(
      fc.oneof(
        raw('malformed UTF-8', Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')])),
        raw('overlong UTF-8 NUL', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0x80]), Buffer.from('"}')])),
        raw('UTF-16 surrogate in UTF-8', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])),
        raw('truncated JSON', '{"title": "x", '),
        raw('JSON with a trailing comma', '{"a": 1,}'),
        raw('NaN literal', '{"amount": NaN}'),
        raw('prototype pollution', '{"__proto__": {"isAdmin": true}}'),
        raw('constructor pollution', '{"constructor": {"prototype": {"isAdmin": true}}}'),
        raw('deep nesting, 20,000 levels', `${'['.repeat(20_000)}${']'.repeat(20_000)}`),
        raw('a body over 64 KiB', JSON.stringify({ padding: 'x'.repeat(70 * 1024) })),
        raw('a form instead of JSON', 'status=approved&approvedBy=me', 'application/x-www-form-urlencoded'),
        raw('XML', '<case><status>approved</status></case>', 'application/xml'),
        raw('JSON sent as text', '{}', 'text/plain'),
        raw('empty JSON body', ''),
      ),
    );
    // A bad Idempotency-Key on an otherwise well-formed write (signed-in writes honour it).
    if (signedIn) {
      const badKeys = ['short', 'x'.repeat(101), 'has space in it', '键键键键键键键键键'];
      arbitraries.push(
        fc.tuple(baseQuery, baseBody, fc.constantFrom(...badKeys)).map(([q, b, key]) => {
          const r = request('header', `Idempotency-Key ${JSON.stringify(key).slice(0, 20)}`, q, b);
          return { ...r, headers: { ...r.headers, 'idempotency-key': key } };
        }),
      );
    }
  }
  return fc.oneof(...arbitraries);
}
