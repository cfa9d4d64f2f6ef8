import { sql, type Kysely } from 'kysely';

/**
 * A call (申报批次) is listed under the department that runs it, no longer under the official who
 * opened it as though they had applied (cases/call.case.ts read model): the rows projected before are
 * written as the read model now writes them, so that the auditor's rebuild finds them as they are.
 * The names are the departments' as of this migration, written out: a later change of a name is a
 * migration of its own.
 */
const DEPARTMENT_NAMES: Record<string, string> = {
  cac: '市委网信办',
  'yangpu-fund': '杨浦区 V聚场基金',
  'culture-tourism': '市文旅局',
  'yangpu-investment': '杨浦区投促办',
  huangpu: '黄浦区',
  xuhui: '徐汇区',
  hrss: '人社部门',
};

export async function up(db: Kysely<any>): Promise<void> {
  for (const [department, name] of Object.entries(DEPARTMENT_NAMES)) {
    await sql`UPDATE cases SET applicant_name = ${name} WHERE case_type = 'call' AND department = ${department} AND applicant_name IS DISTINCT FROM ${name}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases SET applicant_name = state->'applicant'->>'displayName'
     WHERE case_type = 'call' AND coalesce(state->'applicant'->>'displayName', '') <> ''`.execute(db);
}
