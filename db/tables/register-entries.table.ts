import type { JSONColumnType } from 'kysely';

/** One entry of a department's register (read model of the 'register' streams, db/projections/register.projection.ts). */
export interface RegisterEntriesTable {
  kind: string;
  entry_id: string;
  /** What a look-up finds it by: a 统一社会信用代码, an account id, a venue's name, a month. */
  subject: string;
  name: string;
  detail: JSONColumnType<Record<string, string | number>>;
  /** Asia/Shanghai dates (YYYY-MM-DD): the first and the last day it holds (null: open-ended). */
  valid_from: string;
  valid_to: string | null;
  ended: JSONColumnType<{ on: string; by: RegisterActorJson; reason: string } | null>;
  added_by: JSONColumnType<RegisterActorJson>;
  /** The last event's who, why and when: what the registers page shows beside the entry. */
  last_change: JSONColumnType<{ type: string; by: RegisterActorJson; reason: string; at: string }>;
  /** The number of events that made it what it is. */
  revision: number;
  updated_at: Date;
}

export interface RegisterActorJson {
  accountId: string;
  displayName: string;
  role: string;
  department?: string;
}
