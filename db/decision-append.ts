import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/cases/actor.js';
import type { Db } from './client.js';
import { appendToStream, type AppendResult, type Projection } from './event-store.js';

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
