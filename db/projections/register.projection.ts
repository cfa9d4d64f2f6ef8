import type { PlannedEvent, ProjectionPlan, ProjectionPlanner, ReadModelWrite } from '../event-store.js';
import type { RegisterEvent } from '../../domain/registers/registers.js';

/** Registers kept by departments: one stream per register kind, `register-<kind>`. */
export const REGISTER_STREAM = 'register';

export const registerStreamId = (kind: string) => `register-${kind}`;

/**
 * The register_entries rows the events of a register write: an added entry in full, a change as
 * its new fields, an end as its date, who ended it and why. Each event's who, why and when is the
 * row's `last_change`, so the page shows the latest reason without reading the stream.
 */
export const registerPlanner: ProjectionPlanner = {
  load: async () => undefined,
  plan: (_streamType, _before, events) => planRegister(events),
};

function planRegister(events: readonly PlannedEvent[]): ProjectionPlan {
  const writes: ReadModelWrite[] = [];
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as unknown as RegisterEvent;
    const d = event.data;
    const change = { type: event.type, by: d.by, reason: d.reason, at: d.at };
    const key = { kind: d.kind, entry_id: d.entryId };
    switch (event.type) {
      case 'RegisterEntryAdded': {
        const f = event.data.fields;
        writes.push({
          op: 'upsert',
          table: 'register_entries',
          key: ['kind', 'entry_id'],
          rows: [{ ...key, subject: f.subject, name: f.name, detail: f.detail, valid_from: f.from, valid_to: f.to, ended: null, added_by: d.by, last_change: change, revision: stored.streamVersion, updated_at: stored.recordedAt }],
        });
        break;
      }
      case 'RegisterEntryChanged': {
        const f = event.data.after;
        writes.push({
          op: 'update',
          table: 'register_entries',
          key: ['kind', 'entry_id'],
          rows: [{ ...key, subject: f.subject, name: f.name, detail: f.detail, valid_from: f.from, valid_to: f.to, last_change: change, revision: stored.streamVersion, updated_at: stored.recordedAt }],
        });
        break;
      }
      case 'RegisterEntryEnded':
        writes.push({
          op: 'update',
          table: 'register_entries',
          key: ['kind', 'entry_id'],
          rows: [{ ...key, valid_to: event.data.endedOn, ended: { on: event.data.endedOn, by: d.by, reason: d.reason }, last_change: change, revision: stored.streamVersion, updated_at: stored.recordedAt }],
        });
        break;
    }
  }
  return { writes, after: undefined };
}
