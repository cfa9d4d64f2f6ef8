import { sql } from 'kysely';
import type { Db } from '../../db/client.js';

/**
 * Sign-in rate limits, kept in PostgreSQL so every API process counts the same failures. Too many
 * failed sign-ins for one username, or from one client address, within the window lock that
 * username or address out until the lock ends: 429 with Retry-After, before any password is
 * checked (so a locked-out guesser also costs no scrypt). A successful sign-in clears the
 * username's count, never the address's (or one valid account would reset a guesser's address).
 */
export const LOGIN_LIMITS = {
  username: { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  // Higher: many people may sign in from one office's address.
  address: { failures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const;

type Scope = keyof typeof LOGIN_LIMITS;

export interface LoginClient {
  username: string;
  address: string;
}

/** Seconds until the later of the two locks ends, if either is on. */
export async function loginLockedFor(db: Db, client: LoginClient, now: Date): Promise<number | undefined> {
  const rows = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where((eb) => eb.or([eb.and([eb('scope', '=', 'username'), eb('key', '=', client.username)]), eb.and([eb('scope', '=', 'address'), eb('key', '=', client.address)])]))
    .where('locked_until', '>', now)
    .execute();
  if (rows.length === 0) return undefined;
  const until = Math.max(...rows.map((r) => r.locked_until!.getTime()));
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

async function countFailure(db: Db, scope: Scope, key: string, now: Date): Promise<void> {
  const { failures, windowMs, lockMs } = LOGIN_LIMITS[scope];
  const windowStart = new Date(now.getTime() - windowMs);
  const lockedUntil = new Date(now.getTime() + lockMs);
  // A failure after the window has passed starts a new window at 1.
  const fresh = sql<boolean>`login_throttle.window_started_at <= ${windowStart}`;
  const next = sql<number>`CASE WHEN ${fresh} THEN 1 ELSE login_throttle.failures + 1 END`;
  await db
    .insertInto('login_throttle')
    .values({ scope, key, failures: 1, window_started_at: now, locked_until: failures <= 1 ? lockedUntil : null })
    .onConflict((oc) =>
      oc.columns(['scope', 'key']).doUpdateSet({
        failures: next,
        window_started_at: sql`CASE WHEN ${fresh} THEN ${now} ELSE login_throttle.window_started_at END`,
        locked_until: sql`CASE WHEN ${next} >= ${failures} THEN ${lockedUntil}::timestamptz ELSE login_throttle.locked_until END`,
      }),
    )
    .execute();
}

export async function recordLoginFailure(db: Db, client: LoginClient, now: Date): Promise<void> {
  await countFailure(db, 'username', client.username, now);
  await countFailure(db, 'address', client.address, now);
}

export async function recordLoginSuccess(db: Db, client: LoginClient): Promise<void> {
  await db.deleteFrom('login_throttle').where('scope', '=', 'username').where('key', '=', client.username).execute();
}
