import { accountsHoldingCompanyNames } from '../../db/accounts/account-stream.js';
import { DRAMA_FILING_TYPE_NAMES } from '../../domain/drama-filing/terms.js';
import type { Db } from '../../db/client.js';
import { companyNameKey, producerMismatchNote } from '../../domain/accounts/applicant-company.js';

/** A drama filing as the producer check reads it: who filed it and the 制作机构 it names. */
export interface FiledProducer {
  caseId: string;
  applicantAccountId: string;
  producer: string;
}

/**
 * For the reviewer: each filing whose 制作机构 is not its applicant's own (registered to another
 * account, or not the company its account is registered as), with what is wrong in words. Filings
 * opened since the check refuses that have none unless resubmitted so; those from before may.
 * Read when the queue or the page is asked for, so no row changes.
 */
export async function producerNotes(db: Db, filings: readonly FiledProducer[]): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  const named = filings.filter((f) => f.producer !== '');
  if (named.length === 0) return notes;
  const holders = await accountsHoldingCompanyNames(db, named.map((f) => f.producer));
  const ids = [...new Set(named.map((f) => f.applicantAccountId))];
  const applicants = new Map(
    (await db.selectFrom('accounts').select(['account_id', 'profile']).where('account_id', 'in', ids).execute()).map((a) => [a.account_id, { accountId: a.account_id, profile: a.profile as Record<string, unknown> }]),
  );
  for (const f of named) {
    const note = producerMismatchNote(f.producer, applicants.get(f.applicantAccountId) ?? { accountId: f.applicantAccountId, profile: {} }, holders.get(companyNameKey(f.producer)));
    if (note) notes.set(f.caseId, note);
  }
  return notes;
}

/** A drama filing's page for the reviewer and the auditor: the mismatch, if any, in the line after 制作机构. */
export async function withProducerCheck<V extends { overview?: { label: string; value: string }[]; filing?: { producer?: string } | null }>(
  db: Db,
  row: { case_id: string; case_type: string; applicant_account_id: string },
  viewer: { role: string },
  view: V,
): Promise<V> {
  const producer = view.filing?.producer;
  if (!DRAMA_FILING_TYPE_NAMES.includes(row.case_type as never) || viewer.role === 'applicant' || !view.overview || typeof producer !== 'string') return view;
  const note = (await producerNotes(db, [{ caseId: row.case_id, applicantAccountId: row.applicant_account_id, producer }])).get(row.case_id);
  if (!note) return view;
  const at = view.overview.findIndex((line) => line.label === '制作机构');
  return { ...view, overview: [...view.overview.slice(0, at + 1), { label: '制作机构核对', value: note }, ...view.overview.slice(at + 1)] };
}
