import { sql, type Kysely } from 'kysely';

/**
 * A call's proposed list names the applications it passes over, each with why (cases/call.case.ts
 * `passedOver`, in the words domain/panels/application-record.ts notSelectedBecause gives its
 * applicant), so that the director sees them before approving it: an outside tester's director saw
 * only a count in the summary. Rows projected before are given them here, from the list in the
 * stored state, in the order and words the projection writes, so that the auditors' rebuild finds no
 * difference on a deployment that upgrades. (A frozen copy of those words.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{panel,list,passedOver}', (
             SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'caseId', p->'caseId', 'referenceNo', p->'referenceNo', 'rank', p->'rank', 'amountFen', p->'amountFen',
                      'reason', CASE p->>'reason'
                                  WHEN 'over-budget' THEN '轮到本申请时预算余额不足以资助其申请金额'
                                  WHEN 'quota-full' THEN '资助名额已满'
                                  ELSE CASE WHEN p ? 'sameItemAs'
                                            THEN '与排名第 ' || (p->'sameItemAs'->>'rank') || ' 位、已列入名单的申请 ' || (p->'sameItemAs'->>'referenceNo') || ' 为同一资助事项，'
                                            ELSE '与排名更前的申请为同一资助事项，' END
                                       || CASE WHEN p->'sameItemAs'->>'rule' = 'cap-per-year' THEN '两项合计将超过该措施对同一事项的每年最高资助额' ELSE '同一事项不重复资助' END
                                END)
                    ORDER BY p_at), '[]'::jsonb)
               FROM jsonb_array_elements(state->'panel'->'list'->'passedOver') WITH ORDINALITY AS passed(p, p_at)))
     WHERE case_type = 'call'
       AND jsonb_typeof(details->'panel'->'list') = 'object'
       AND jsonb_typeof(state->'panel'->'list'->'passedOver') = 'array'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases
       SET details = jsonb_set(details, '{panel,list}', (details->'panel'->'list') - 'passedOver')
     WHERE case_type = 'call'
       AND jsonb_typeof(details->'panel'->'list') = 'object'`.execute(db);
}
