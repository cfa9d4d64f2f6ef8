import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/cases/actor.js';
import type { Db } from './client.js';
import { appendToStream, ConcurrencyError, type AppendResult, type Projection } from './event-store.js';

/**
 * The version a stream is at now (0 before its first event). Read it before the read model a
 * decision is made on: a change recorded in between then fails the append (409) instead of being
 * decided on what was stale.
 */
export async function streamVersion(db: Db, streamId: string): Promise<number> {
  const head = await db.selectFrom('streams').select('version').where('stream_id', '=', streamId).executeTakeFirst();
  return head?.version ?? 0;
}

/** Appends what one person decided (an office register's or the terms' events) as one batch, at the version it was decided on. */
export async function appendDecision(
  db: Db,
  request: { streamId: string; streamType: string; expectedVersion: number; events: readonly { type: string; data: unknown }[] },
  actor: Actor,
  options: { now: () => Date; project: Projection },
): Promise<AppendResult> {
  const correlationId = randomUUID();
  return appendToStream(
    db,
    {
      streamId: request.streamId,
      streamType: request.streamType,
      expectedVersion: request.expectedVersion,
      events: request.events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data as Record<string, unknown>,
        metadata: {
          actor: { accountId: actor.accountId, displayName: actor.displayName, role: actor.role, ...(actor.department ? { department: actor.department } : {}) },
          correlationId,
          causationId: correlationId,
        },
      })),
    },
    options,
  );
}

/** How often a decision is made again on a stream others wrote to meanwhile, before the conflict is the answer. */
const DECISION_ATTEMPTS = 5;

/**
 * Decides on the stream as it is now and appends at that version. When another person's change was
 * recorded in between, it decides again on the stream as it then is, instead of refusing: a
 * register or the stacking matrix is one stream that many officials write to at once, each about
 * something else (three districts adding three different tenants at the same moment got one entry
 * and two 409s saying a record they never touched had changed). The decider checks every rule
 * again on what it is given, so a second decision is as sound as the first; a command that changes
 * what its sender saw (an entry they edited) gets the conflict passed in, and throws it when that
 * thing is no longer what they saw.
 */
export async function decideAndAppend(
  db: Db,
  stream: { streamId: string; streamType: string },
  decide: (conflict: ConcurrencyError | undefined) => Promise<readonly { type: string; data: unknown }[]>,
  actor: Actor,
  options: { now: () => Date; project: Projection },
): Promise<readonly { type: string; data: unknown }[]> {
  let conflict: ConcurrencyError | undefined;
  for (let attempt = 1; ; attempt++) {
    // The version first, then what is decided on: a change recorded in between fails the append.
    const expectedVersion = await streamVersion(db, stream.streamId);
    const events = await decide(conflict);
    try {
      await appendDecision(db, { ...stream, expectedVersion, events }, actor, options);
      return events;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= DECISION_ATTEMPTS) throw error;
      conflict = error;
    }
  }
}
