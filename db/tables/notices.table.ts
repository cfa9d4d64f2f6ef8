import type { ColumnType } from 'kysely';

/** Read model (issue 14): the notices events gave rise to; `scheduled_notices` has the same shape for reminders no event records. */
export interface NoticesTable {
  notice_id: string;
  recipient_account_id: string | null;
  recipient_department: string | null;
  kind: string;
  title: string;
  body: string;
  case_id: string | null;
  reference_no: string | null;
  event_id: string | null;
  created_at: ColumnType<Date, Date | string, Date | string>;
}

export interface NoticeContactsTable {
  account_id: string;
  channel: 'email' | 'sms';
  address: string;
}

/** The outbox: one row per notice, channel and address, written with the notice (a trigger). */
export interface NoticeDeliveriesTable {
  notice_id: string;
  channel: 'email' | 'sms';
  address: string;
  recipient_account_id: string;
  message_id: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date;
  sent_at: Date | null;
  last_error: string | null;
}

export interface NoticeReadsTable {
  notice_id: string;
  account_id: string;
  read_at: Date;
}
