import { isIPv6 } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/client.js';
import type { Database } from '../../db/database.js';
import type { LoginThrottleTable } from '../../db/tables/authorization.table.js';

/**
 * Sign-in limits that hold under concurrency and punish only the guesser. Counters are rows in
 * PostgreSQL, so every API process counts alike.
 *
 * - An attempt takes a place in its bucket before its password is checked, in the one statement that
 *   also refuses it when the bucket is locked: the failures counted and the attempts in flight
 *   together never pass `failures`, so N simultaneous guesses run at most `failures` password
 *   checks. An attempt that finds no place waits for those in flight: a success gives its place
 *   back, a failure turns it into a failure counted, and the failure that reaches the limit locks
 *   the bucket. So only failures lock, and simultaneous right passwords (several tabs, a script)
 *   all get in; an attempt that waits too long is told the requests are too frequent, never that
 *   it failed.
 * - A browser holding the username's device cookie (see device-cookies.ts) is charged to that device
 *   alone: its own failures lock only it, and nobody else's lock it out.
 * - Any other attempt is charged to the username's budget for such browsers; that lock stops
 *   guessers (and the owner on a new browser) but never a browser the owner signed in on before.
 * - No address-wide lock: a failure from an address locks out no other username there. Against
 *   password spraying (one address trying one password on many usernames), an address with many
 *   failures gets one try per window at each username it has failed at, without a device cookie.
 *   A username not tried from the address, or tried by a browser with its device cookie, is not
 *   refused.
 */
// Each lockMs is at least its windowMs: by the time a lock ends, its window has passed too and the
// next attempt starts a new one.
export const LOGIN_LIMITS = {
  /** Per username, from browsers without its device cookie. */
  username: { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  /** Per device cookie, for its username. */
  device: { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  /** Failures from one address (any username, no device cookie) that mark it as spraying until lockMs after the last one. */
  address: { failures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const;

/**
 * How long an attempt waits for a place while the attempts in flight fill its bucket (each a
 * password check of a fraction of a second), polling the row; then it is refused as too frequent.
 */
export const IN_FLIGHT_WAIT = { maxMs: 5_000, firstPollMs: 10, maxPollMs: 200 } as const;

/**
 * A password check takes a fraction of a second: places still taken this long after the bucket's
 * latest attempt took one are an API process's that stopped mid-check (a crash, a deploy), and the
 * next attempt frees them, rather than the bucket staying short of them until its window ends.
 */
export const IN_FLIGHT_EXPIRY_MS = 60_000;

type Scope = LoginThrottleTable['scope'];
type Limit = { failures: number; windowMs: number; lockMs: number };

export interface LoginClient {
  username: string;
  /** The client address as the API sees it (request.ip). */
  address: string;
  /** The nonce of a valid device cookie for this username, if the request carried one. */
  device?: string;
}

export type SignInAttempt =
  | { refused: true; by: 'username' | 'device' | 'address' | 'in-flight'; retryAfterSeconds: number }
  | { refused: false; charged: { scope: 'username' | 'device'; key: string; windowStartedAt: Date; username?: string }; spray: { address: string; addressUsername: string } };

/**
 * Where one address's failures are counted: an IPv4 address, or an IPv6 address's /64 (what one
 * subscriber is usually given, so stepping through it buys no fresh budget).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.split('%')[0]!;
  if (!isIPv6(bare)) return ip;
  const [head = '', tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // A trailing dotted IPv4 part fills two groups.
  const rightGroups = right.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - rightGroups).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

const retryAfter = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/**
 * Counts one failure against an address ('address', whose lock marks it as spraying) or an
 * address at one username ('address-username'), starting a new window when the last one has passed.
 */
async function countFailure(db: Db, scope: 'address' | 'address-username', key: string, limit: Limit | undefined, now: Date) {
  const windowMs = limit?.windowMs ?? LOGIN_LIMITS.address.windowMs;
  const windowStart = new Date(now.getTime() - windowMs);
  const fresh = sql<boolean>`login_throttle.window_started_at <= ${windowStart}::timestamptz`;
  const next = sql<number>`CASE WHEN ${fresh} THEN 1 ELSE login_throttle.failures + 1 END`;
  const lockedUntil = limit ? new Date(now.getTime() + limit.lockMs) : null;
  const stillLocked = sql<boolean>`login_throttle.locked_until > ${now}::timestamptz`;
  const lock = limit
    ? sql<Date | null>`CASE WHEN ${next} >= ${limit.failures} THEN ${lockedUntil}::timestamptz WHEN ${stillLocked} THEN login_throttle.locked_until END`
    : sql<Date | null>`NULL::timestamptz`;
  await db
    .insertInto('login_throttle')
    .values({ scope, key, failures: 1, window_started_at: now, locked_until: limit && limit.failures <= 1 ? lockedUntil : null })
    .onConflict((oc) =>
      oc.columns(['scope', 'key']).doUpdateSet({
        failures: next,
        window_started_at: sql<Date>`CASE WHEN ${fresh} THEN ${now}::timestamptz ELSE login_throttle.window_started_at END`,
        locked_until: lock,
      }),
    )
    .execute();
}

/**
 * Takes a place for an attempt in a username's or device's bucket, starting a new window when the
 * last one has passed. Nothing is taken (undefined) while the bucket is locked or while its
 * failures and the attempts in flight fill it; one statement, so concurrent attempts queue on the row.
 */
async function take(db: Db, scope: 'username' | 'device', key: string, limit: Limit, now: Date, username: string | null) {
  const windowStart = new Date(now.getTime() - limit.windowMs);
  const fresh = sql<boolean>`login_throttle.window_started_at <= ${windowStart}::timestamptz`;
  const stillLocked = sql<boolean>`coalesce(login_throttle.locked_until > ${now}::timestamptz, false)`;
  // Places of a process that stopped mid-check (a row from before the column has no time: its places wait for the window).
  const abandoned = sql<boolean>`coalesce(login_throttle.in_flight_since <= ${new Date(now.getTime() - IN_FLIGHT_EXPIRY_MS)}::timestamptz, false)`;
  return db
    .insertInto('login_throttle')
    .values({ scope, key, failures: 0, in_flight: 1, in_flight_since: now, window_started_at: now, locked_until: null, username })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'key'])
        .doUpdateSet({
          failures: sql<number>`CASE WHEN ${fresh} THEN 0 ELSE login_throttle.failures END`,
          in_flight: sql<number>`CASE WHEN ${fresh} OR ${abandoned} THEN 1 ELSE login_throttle.in_flight + 1 END`,
          in_flight_since: now,
          window_started_at: sql<Date>`CASE WHEN ${fresh} THEN ${now}::timestamptz ELSE login_throttle.window_started_at END`,
          username,
        })
        .where(sql<boolean>`NOT ${stillLocked} AND (${fresh} OR login_throttle.failures + (CASE WHEN ${abandoned} THEN 0 ELSE login_throttle.in_flight END) < ${limit.failures})`),
    )
    .returning(['window_started_at'])
    .executeTakeFirst();
}

/**
 * Takes a place, waiting (polling, up to IN_FLIGHT_WAIT.maxMs of real time) while the attempts in
 * flight fill the bucket; refused at once while it is locked, and as too frequent when the wait ends.
 */
async function takeOrWait(db: Db, scope: 'username' | 'device', key: string, limit: Limit, now: Date, username: string | null): Promise<SignInAttempt | { taken: Date }> {
  const started = performance.now();
  for (let poll: number = IN_FLIGHT_WAIT.firstPollMs; ; poll = Math.min(poll * 2, IN_FLIGHT_WAIT.maxPollMs)) {
    const taken = await take(db, scope, key, limit, now, username);
    if (taken) return { taken: taken.window_started_at };
    const locked = await lockedUntil(db, scope, key);
    if (locked && locked > now) return { refused: true, by: scope, retryAfterSeconds: retryAfter(locked, now) };
    if (performance.now() - started + poll > IN_FLIGHT_WAIT.maxMs) return { refused: true, by: 'in-flight', retryAfterSeconds: 5 };
    await sleep(poll);
  }
}

async function lockedUntil(db: Db, scope: Scope, key: string): Promise<Date | undefined> {
  const row = await db.selectFrom('login_throttle').select('locked_until').where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row?.locked_until ?? undefined;
}

/** Charges one sign-in attempt before its password is checked, or refuses it (429) with the seconds until it may be tried. */
export async function chargeSignIn(db: Db, client: LoginClient, now: Date): Promise<SignInAttempt> {
  const address = addressKey(client.address);
  const spray = { address, addressUsername: JSON.stringify([address, client.username]) };

  if (client.device !== undefined) {
    // The browser's row says whose it is: a new password set with the office's code lifts its lock (liftUsernameLock).
    const place = await takeOrWait(db, 'device', client.device, LOGIN_LIMITS.device, now, client.username);
    if ('refused' in place) return place;
    return { refused: false, charged: { scope: 'device', key: client.device, windowStartedAt: place.taken, username: client.username }, spray };
  }

  // Read, not charged: a gated address may still try usernames it has not failed at, and the
  // username's own bucket below bounds concurrent tries at any one.
  const sprayRows = await db
    .selectFrom('login_throttle')
    .select(['scope', 'window_started_at', 'locked_until'])
    .where((eb) =>
      eb.or([
        eb.and([eb('scope', '=', 'address'), eb('key', '=', spray.address)]),
        eb.and([eb('scope', '=', 'address-username'), eb('key', '=', spray.addressUsername)]),
      ]),
    )
    .execute();
  const addressLock = sprayRows.find((r) => r.scope === 'address' && r.locked_until && r.locked_until > now)?.locked_until;
  const triedHere = sprayRows.find((r) => r.scope === 'address-username' && r.window_started_at.getTime() > now.getTime() - LOGIN_LIMITS.address.windowMs);
  if (addressLock && triedHere) {
    const windowEnds = new Date(triedHere.window_started_at.getTime() + LOGIN_LIMITS.address.windowMs);
    return { refused: true, by: 'address', retryAfterSeconds: retryAfter(windowEnds < addressLock ? windowEnds : addressLock, now) };
  }

  const place = await takeOrWait(db, 'username', client.username, LOGIN_LIMITS.username, now, null);
  if ('refused' in place) return place;
  return { refused: false, charged: { scope: 'username', key: client.username, windowStartedAt: place.taken }, spray };
}

/** This attempt's place in its bucket, while the window it was taken in lasts: given back, or turned into a failure. */
const itsPlace = (windowStartedAt: Date) => sql<boolean>`login_throttle.window_started_at = ${windowStartedAt}::timestamptz AND login_throttle.in_flight > 0`;

/**
 * The password was wrong: its place becomes a failure counted, and the failure that reaches the
 * limit locks the bucket; without a device cookie, the failure also counts against the address.
 */
export async function signInFailed(db: Db, attempt: SignInAttempt & { refused: false }, now: Date): Promise<void> {
  const { scope, key, windowStartedAt } = attempt.charged;
  const limit = LOGIN_LIMITS[scope];
  const lock = new Date(now.getTime() + limit.lockMs);
  await db
    .insertInto('login_throttle')
    .values({ scope, key, failures: 1, in_flight: 0, window_started_at: now, locked_until: limit.failures <= 1 ? lock : null, username: attempt.charged.username ?? null })
    .onConflict((oc) =>
      oc.columns(['scope', 'key']).doUpdateSet({
        failures: sql<number>`login_throttle.failures + 1`,
        in_flight: sql<number>`CASE WHEN ${itsPlace(windowStartedAt)} THEN login_throttle.in_flight - 1 ELSE login_throttle.in_flight END`,
        locked_until: sql<Date | null>`CASE WHEN login_throttle.failures + 1 >= ${limit.failures} THEN ${lock}::timestamptz ELSE login_throttle.locked_until END`,
      }),
    )
    .execute();
  if (scope === 'username') {
    await countFailure(db, 'address', attempt.spray.address, LOGIN_LIMITS.address, now);
    await countFailure(db, 'address-username', attempt.spray.addressUsername, undefined, now);
  }
  await forgetExpired(db, now);
}

/**
 * The password was right: this attempt gives its place back. A device's failures are forgotten too
 * (they were its owner's), and its row once nothing else is in flight. A username's failures stay
 * counted: they may be a guesser's, and a guesser must not be handed a fresh budget each time the
 * owner signs in.
 */
export async function signInSucceeded(db: Db, attempt: SignInAttempt & { refused: false }): Promise<void> {
  const { scope, key, windowStartedAt } = attempt.charged;
  const givenBack = sql<number>`CASE WHEN ${itsPlace(windowStartedAt)} THEN login_throttle.in_flight - 1 ELSE login_throttle.in_flight END`;
  if (scope === 'device') {
    await db.updateTable('login_throttle').set({ failures: 0, in_flight: givenBack, locked_until: null }).where('scope', '=', 'device').where('key', '=', key).execute();
    await db.deleteFrom('login_throttle').where('scope', '=', 'device').where('key', '=', key).where('in_flight', '=', 0).where('failures', '=', 0).execute();
  } else {
    await db.updateTable('login_throttle').set({ in_flight: givenBack }).where('scope', '=', 'username').where('key', '=', key).execute();
  }
  await db.deleteFrom('login_throttle').where('scope', '=', 'address-username').where('key', '=', attempt.spray.addressUsername).execute();
}

/**
 * The holder has just set a new password with the office's one-time code: the failures counted
 * against the username (against it from any address, and by each browser that signs in as it)
 * were against a password that no longer exists, and whoever set the new one holds the account
 * already. Without this the holder, who called the office because guesses had locked them out (or
 * who had locked their own browser trying passwords they had forgotten), stayed locked out for up to
 * 15 more minutes with the password they had just set. Places in flight stay counted.
 */
export async function liftUsernameLock(db: Db | Transaction<Database>, username: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ failures: 0, locked_until: null })
    .where((eb) => eb.or([eb.and([eb('scope', '=', 'username'), eb('key', '=', username)]), eb.and([eb('scope', '=', 'device'), eb('username', '=', username)])]))
    .execute();
  await db.deleteFrom('login_throttle').where('scope', '=', 'address-username').where(sql<string>`(key::jsonb) ->> 1`, '=', username).execute();
}

/** The usernames locked now for browsers without their device cookie, and until when (what administrators are shown). */
export async function lockedUsernames(db: Db, now: Date): Promise<Map<string, Date>> {
  const rows = await db.selectFrom('login_throttle').select(['key', 'locked_until']).where('scope', '=', 'username').where('locked_until', '>', now).execute();
  return new Map(rows.map((r) => [r.key, r.locked_until!]));
}

/**
 * The browsers locked now by their own wrong passwords, by the username they sign in as: how many and
 * until when the last of them stays locked (what administrators are shown; rows from before browsers
 * named their username are not counted).
 */
export async function lockedBrowsers(db: Db, now: Date): Promise<Map<string, { count: number; until: Date }>> {
  const rows = await db
    .selectFrom('login_throttle')
    .select((eb) => ['username', eb.fn.countAll<string>().as('count'), eb.fn.max('locked_until').as('until')])
    .where('scope', '=', 'device')
    .where('username', 'is not', null)
    .where('locked_until', '>', now)
    .groupBy('username')
    .execute();
  return new Map(rows.map((r) => [r.username!, { count: Number(r.count), until: r.until! }]));
}

/** Deletes a few rows whose window and lock have both passed, so guesses at made-up usernames leave nothing behind for long. */
async function forgetExpired(db: Db, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - Math.max(...Object.values(LOGIN_LIMITS).map((l) => l.windowMs)));
  // SKIP LOCKED: never wait for (or deadlock with) an attempt being charged or another cleanup.
  await sql`
    DELETE FROM login_throttle WHERE ctid IN (
      SELECT ctid FROM login_throttle
      WHERE window_started_at <= ${windowStart}::timestamptz AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
      ORDER BY window_started_at LIMIT 100 FOR UPDATE SKIP LOCKED)
    AND window_started_at <= ${windowStart}::timestamptz AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)`.execute(db);
}

/** The 429's message: which lock, for how many more minutes, and what still works. */
export function tooManyAttemptsMessage(refusal: SignInAttempt & { refused: true }): string {
  const minutes = Math.ceil(refusal.retryAfterSeconds / 60);
  switch (refusal.by) {
    case 'device':
      return `此浏览器登录失败次数过多，请 ${minutes} 分钟后再试；忘记密码的，可请管理员重置密码`;
    case 'username':
      return `登录失败次数过多，请 ${minutes} 分钟后再试；在以前成功登录过的浏览器上仍可登录，或请管理员重置密码`;
    case 'address':
      return `此网络地址登录该用户名失败次数过多，请 ${minutes} 分钟后再试；在以前成功登录过的浏览器上仍可登录`;
    case 'in-flight':
      return '登录请求过于频繁，请稍后再试';
  }
}
