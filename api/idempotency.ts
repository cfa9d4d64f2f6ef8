import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import type { Account } from './auth/sessions.js';
import { HttpError } from './http-errors.js';
import { variantFor, type RouteDefinition } from './route.js';

/**
 * Idempotency-Key on every POST and PUT of a signed-in account: the first successful answer to
 * (account, key) is kept for 24 hours, and a retry of the same request gets it again — the same
 * status and body, with `Idempotent-Replayed: true` — without running anything a second time. The
 * same key on a different request is refused (422); while the first is still running, a retry is
 * told to wait (409 with Retry-After). Refusals (4xx) and failures are not kept: a retry runs again.
 * (The case-opening routes also derive the case id from the key, so even a crash between the
 * workflow's start and the answer cannot open a second case.)
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{8,100}$/;
const RETENTION_MS = 24 * 3600_000;
/** A claim older than this is from a request that died: the next retry takes it over. */
const ABANDONED_AFTER_MS = 120_000;

export interface IdempotentCall {
  definition: RouteDefinition;
  request: FastifyRequest;
  reply: FastifyReply;
  account: Account | undefined;
}

/** Canonical JSON (sorted keys), so the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Reads and checks the header on writes; undefined where there is none to honour. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    throw new HttpError(400, 'validation', 'Idempotency-Key 应为 8 至 100 个可打印的 ASCII 字符。', [{ field: 'header.idempotency-key', message: '应为 8 至 100 个可打印的 ASCII 字符', english: '8 to 100 printable ASCII characters' }], {}, {}, 'Idempotency-Key must be 8 to 100 printable ASCII characters');
  }
  return raw;
}

export function createIdempotency(db: Db, clock: () => Date) {
  /** Runs `handle` once per (account, key); `send` answers with its result. */
  return async function idempotent(call: IdempotentCall, handle: () => Promise<{ status: number; body: unknown } | 'sent'>): Promise<unknown> {
    const { definition, request, reply, account } = call;
    const write = definition.method === 'POST' || definition.method === 'PUT' || definition.method === 'DELETE';
    const key = write ? idempotencyKeyOf(request) : undefined;
    if (!key || !account) return send(reply, await handle());

    // The action route's requests are named by their action's own URL, as the permission matrix names them.
    const concrete = variantFor(definition, (request.params ?? {}) as Record<string, unknown>) ?? definition;
    const route = `${concrete.method} ${concrete.url}`;
    const requestHash = createHash('sha256').update(canonical({ route, params: request.params ?? {}, body: request.body ?? null })).digest('hex');
    const now = clock();
    const claimed = await claim(account.accountId, key, requestHash, route, now);
    if (!claimed) {
      const existing = await db.selectFrom('idempotency_keys').selectAll().where('account_id', '=', account.accountId).where('idempotency_key', '=', key).executeTakeFirst();
      if (existing && existing.request_hash !== requestHash) {
        throw new HttpError(422, 'idempotency-key-reused', `Idempotency-Key ${key} 已用于另一个请求（${existing.route}）：新的请求请用新的 Idempotency-Key。`, [], {}, {}, `Idempotency-Key ${key} was used for another request (${existing.route}); send a new key with a new request`);
      }
      if (existing && existing.status_code !== null) {
        return reply.status(existing.status_code).header('idempotent-replayed', 'true').send(existing.response);
      }
      reply.header('retry-after', '1');
      throw new HttpError(409, 'in-progress', '同一请求正在处理中，请稍等片刻再试。', [], {}, {}, `a request with Idempotency-Key ${key} is still being processed; retry in a moment`);
    }
    let result: Awaited<ReturnType<typeof handle>>;
    try {
      result = await handle();
    } catch (error) {
      await release(account.accountId, key);
      throw error;
    }
    if (result === 'sent') {
      await release(account.accountId, key);
      return reply;
    }
    await db
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response: JSON.stringify(result.body ?? null), completed_at: clock() })
      .where('account_id', '=', account.accountId)
      .where('idempotency_key', '=', key)
      .execute();
    return send(reply, result);
  };

  /** Takes the key for this request: new, expired, or abandoned by a request that died. */
  async function claim(accountId: string, key: string, requestHash: string, route: string, now: Date): Promise<boolean> {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ account_id: accountId, idempotency_key: key, request_hash: requestHash, route, created_at: now })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'idempotency_key'])
          .doUpdateSet({ request_hash: requestHash, route, created_at: now, status_code: null, response: null, completed_at: null })
          .where((eb) =>
            eb.or([
              eb('idempotency_keys.created_at', '<', new Date(now.getTime() - RETENTION_MS)),
              eb.and([eb('idempotency_keys.status_code', 'is', null), eb('idempotency_keys.created_at', '<', new Date(now.getTime() - ABANDONED_AFTER_MS))]),
            ]),
          ),
      )
      .returning('account_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async function release(accountId: string, key: string): Promise<void> {
    await db.deleteFrom('idempotency_keys').where('account_id', '=', accountId).where('idempotency_key', '=', key).where('status_code', 'is', null).execute();
  }
}

function send(reply: FastifyReply, result: { status: number; body: unknown } | 'sent'): unknown {
  if (result === 'sent') return reply;
  return reply.status(result.status).send(result.body);
}
