import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code. The lists below are the
// departments and duties as they were when it was written.
const DEPARTMENTS = ['cac', 'yangpu-fund', 'yangpu-investment', 'huangpu', 'xuhui', 'culture-tourism', 'hrss'];
const DUTIES = ['reviewer', 'approver', 'director', 'supervisor'];

const textList = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

export async function up(db: Kysely<any>): Promise<void> {
  // Roles and scopes, formally: an official belongs to one department and holds one or more duties
  // (reviewer, approver, director, supervisor); an applicant is an individual creator or a company;
  // auditors and admins have neither. The `duty` some profiles carried becomes the `duties` column.
  await db.schema
    .alterTable('accounts')
    .addColumn('duties', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('applicant_kind', 'text')
    .execute();

  // Existing officials: the duty in their profile, else what the username says, else reviewer
  // (the least that keeps an official able to work their department's queue).
  await sql`
    UPDATE accounts SET duties = ARRAY[CASE
      WHEN profile->>'duty' IN ('supervisor', 'director') THEN profile->>'duty'
      WHEN username LIKE '%-approver' THEN 'approver'
      WHEN username LIKE '%-director' THEN 'director'
      WHEN username LIKE '%-supervisor' THEN 'supervisor'
      ELSE 'reviewer' END]
    WHERE role = 'official'`.execute(db);
  await sql`UPDATE accounts SET profile = profile - 'duty' WHERE profile ? 'duty'`.execute(db);
  await sql`
    UPDATE accounts SET applicant_kind = CASE WHEN profile ? 'company' THEN 'company' ELSE 'individual' END
    WHERE role = 'applicant'`.execute(db);

  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_duties_check CHECK (
    duties <@ ARRAY[${textList(DUTIES)}]::text[] AND (role = 'official' OR cardinality(duties) = 0))`.execute(db);
  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_department_check CHECK (
    (role = 'official') = (department IS NOT NULL) AND (department IS NULL OR department IN (${textList(DEPARTMENTS)})))`.execute(db);
  await sql`ALTER TABLE accounts ADD CONSTRAINT accounts_applicant_kind_check CHECK (
    applicant_kind IS NULL OR (role = 'applicant' AND applicant_kind IN ('individual', 'company')))`.execute(db);

  // Personal data (身份证号, phone numbers), encrypted with AES-256-GCM by the API under a key from
  // configuration; nothing else holds them. Events, workflow histories and read models never do:
  // a row here belongs to an account (its profile) or to a case of that account, and deleting the
  // row erases the data without touching the append-only, hash-chained log.
  await db.schema
    .createTable('personal_data')
    .addColumn('personal_data_id', 'uuid', (c) => c.primaryKey())
    .addColumn('subject_account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('case_id', 'uuid', (c) => c.references('cases.case_id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('id-number', 'phone')`))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('iv', 'bytea', (c) => c.notNull())
    .addColumn('ciphertext', 'bytea', (c) => c.notNull())
    .addColumn('auth_tag', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // One value of each kind per account profile (case_id null) and per case.
  await sql`CREATE UNIQUE INDEX personal_data_subject_kind_idx ON personal_data (subject_account_id, kind) WHERE case_id IS NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX personal_data_case_kind_idx ON personal_data (case_id, kind) WHERE case_id IS NOT NULL`.execute(db);

  // Failed sign-ins per username and per client address: after too many in a window, 429 until it passes.
  await db.schema
    .createTable('login_throttle')
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope IN ('username', 'address')`))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addPrimaryKeyConstraint('login_throttle_pk', ['scope', 'key'])
    .execute();

  // The first answer to each (account, Idempotency-Key): a retried POST or PUT gets it again.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'char(64)', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'idempotency_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('login_throttle').execute();
  await db.schema.dropTable('personal_data').execute();
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_applicant_kind_check`.execute(db);
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_department_check`.execute(db);
  await sql`ALTER TABLE accounts DROP CONSTRAINT accounts_duties_check`.execute(db);
  await sql`
    UPDATE accounts SET profile = profile || jsonb_build_object('duty', duties[1])
    WHERE role = 'official' AND duties[1] IN ('supervisor', 'director')`.execute(db);
  await db.schema.alterTable('accounts').dropColumn('applicant_kind').dropColumn('duties').execute();
}
