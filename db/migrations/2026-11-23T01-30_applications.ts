import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  // Programme applications share the cases read model: which measure a case is under, whether it
  // comes first in its department's queue (盾牌行动), and the day it was decided (the YOUNG人才公寓
  // quota counts the stays approved in a calendar year).
  await db.schema
    .alterTable('cases')
    .addColumn('programme_id', 'text')
    .addColumn('priority', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('decided_on', 'date')
    .execute();
  await db.schema.createIndex('cases_priority_queue_idx').on('cases').columns(['waiting_for_department', 'priority', 'opened_at']).execute();
  await db.schema.createIndex('cases_programme_applicant_idx').on('cases').columns(['programme_id', 'applicant_account_id']).where(sql.ref('programme_id'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_programme_applicant_idx').execute();
  await db.schema.dropIndex('cases_priority_queue_idx').execute();
  await db.schema.alterTable('cases').dropColumn('decided_on').dropColumn('priority').dropColumn('programme_id').execute();
}
