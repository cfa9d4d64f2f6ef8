import type { Kysely } from 'kysely';

/**
 * A 雏鹰 loan with a borrower's report of a repayment waiting to be checked (待核对的还款申报) is the
 * fund's move: its row now waits for the fund (waiting_for_role official, waiting_for_department
 * yangpu-fund), its step reads 还款中，待核对还款申报, and `details.waitingFor` says what to do, with
 * what the borrower owes next (domain/chuying/decide.ts nextStep). The fund had learnt of a report only
 * from its notice; the loan waited in the borrower's list. The instalment's day stays the row's
 * deadline. Rows projected before are written here as the projection now writes them, so that the
 * auditors' rebuild finds no difference. A frozen copy: nothing of domain/ is read.
 *
 * A report waits while the borrower has not withdrawn it and no repayment is recorded under its bank
 * reference (compared with width, spaces and letter case folded). What the borrower owes next is the
 * note the row already carries (第 n 期还款 … 元), written by the projection from the same state.
 */
const FUND = 'yangpu-fund';
const LABEL = '还款中，待核对还款申报';
const pendingNote = (pending: number, owed: string) => `待核对还款申报 ${pending} 笔：与银行到账核对后登记还款（借款人下一期：${owed}）`;
const referenceKey = (reference: string): string => reference.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

interface LoanState {
  repayments?: { reference: string }[];
  repaymentDeclarations?: { reference: string; withdrawal?: unknown }[];
}

export async function up(db: Kysely<any>): Promise<void> {
  const rows = await db
    .selectFrom('cases')
    .select(['case_id', 'state', 'details'])
    .where('case_type', '=', 'chuying-loan')
    .where('status', '=', 'repaying')
    .where('waiting_for_role', '=', 'applicant')
    .execute();
  for (const row of rows) {
    const state = row.state as LoanState;
    const recorded = new Set((state.repayments ?? []).map((r) => referenceKey(r.reference)));
    const pending = (state.repaymentDeclarations ?? []).filter((d) => !d.withdrawal && !recorded.has(referenceKey(d.reference))).length;
    if (pending === 0) continue;
    const details = row.details as { waitingFor?: { note?: string } | null };
    const owed = details.waitingFor?.note ?? '还款';
    const waitingFor = { role: 'official', department: FUND, note: pendingNote(pending, owed) };
    await db
      .updateTable('cases')
      .set({ waiting_for_role: 'official', waiting_for_department: FUND, status_label: LABEL, details: JSON.stringify({ ...details, waitingFor }) })
      .where('case_id', '=', row.case_id)
      .execute();
  }
}

/** Back to the borrower's move, with the note they had (what they owe next, kept in the fund's note). */
export async function down(db: Kysely<any>): Promise<void> {
  const rows = await db.selectFrom('cases').select(['case_id', 'details']).where('case_type', '=', 'chuying-loan').where('status_label', '=', LABEL).execute();
  for (const row of rows) {
    const details = row.details as { waitingFor?: { note?: string } | null };
    const owed = /（借款人下一期：(.*)）$/.exec(details.waitingFor?.note ?? '')?.[1] ?? '还款';
    await db
      .updateTable('cases')
      .set({ waiting_for_role: 'applicant', waiting_for_department: null, status_label: '还款中', details: JSON.stringify({ ...details, waitingFor: { role: 'applicant', note: owed } }) })
      .where('case_id', '=', row.case_id)
      .execute();
  }
}
