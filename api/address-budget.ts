import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import { addressKey } from './auth/login-throttle.js';

/** How many requests of one kind an address may make in a window. */
export interface AddressBudget {
  /** What is counted, e.g. `objection`: the budget's row is `<purpose>:<address>`. */
  purpose: string;
  requests: number;
  windowMs: number;
}

export type AddressCharge = { refused: false } | { refused: true; retryAfterSeconds: number };

/**
 * Charges one request to the client's address (an IPv6 /64 counts as one) for the public routes
 * that anyone may call without an account (公示 objections, 办件进度查询). The count lives in the
 * sign-in limits' table, so every API process counts alike; one statement, so concurrent requests
 * queue on the row and none slips past the budget. Refused once the window's budget is spent, with
 * the seconds until it may be tried again.
 */
export async function chargeAddress(db: Db, budget: AddressBudget, ip: string, now: Date): Promise<AddressCharge> {
  const key = `${budget.purpose}:${addressKey(ip)}`;
  const windowStart = new Date(now.getTime() - budget.windowMs);
  const fresh = sql<boolean>`login_throttle.window_started_at <= ${windowStart}::timestamptz`;
  const { rows } = await sql<{ failures: number }>`
    INSERT INTO login_throttle (scope, key, failures, window_started_at, locked_until)
    VALUES ('address', ${key}, 1, ${now}::timestamptz, NULL)
    ON CONFLICT (scope, key) DO UPDATE SET
      failures = CASE WHEN ${fresh} THEN 1 ELSE login_throttle.failures + 1 END,
      window_started_at = CASE WHEN ${fresh} THEN ${now}::timestamptz ELSE login_throttle.window_started_at END
    WHERE ${fresh} OR login_throttle.failures < ${budget.requests}
    RETURNING failures`.execute(db);
  if (rows[0]) return { refused: false };
  const row = await db.selectFrom('login_throttle').select('window_started_at').where('scope', '=', 'address').where('key', '=', key).executeTakeFirst();
  const until = (row?.window_started_at.getTime() ?? now.getTime()) + budget.windowMs;
  return { refused: true, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}
