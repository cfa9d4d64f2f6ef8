import { sql, type RawBuilder } from 'kysely';
import type { DocumentReference } from '../../domain/documents/document-reference.js';
import type { FieldIssue } from '../../domain/errors.js';
import { DOCUMENTS_ATTACHED } from '../../domain/documents/official-attachments.js';
import type { Db } from '../client.js';

/** The key an action body names its documents by, wherever in the body (cases/fields.ts documentReferences). */
export const DOCUMENTS_KEY = 'documents';

/** Documents a body references that the account may not reference: every one, each at its field. */
export class DocumentReferenceError extends Error {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.length === 1 ? issues[0]!.message : `有 ${issues.length} 个附件找不到，或不是您上传的：请先上传文件，再附上。`);
  }
}

type Found = { path: string; list: Record<string, unknown>[] };

/** Every `documents: [{ documentId }]` list of a body, with its path, however deep (the answers of a 补正, item by item). */
function referenceLists(value: unknown, at: string, found: Found[] = []): Found[] {
  if (Array.isArray(value)) value.forEach((v, i) => referenceLists(v, at ? `${at}.${i}` : String(i), found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = at ? `${at}.${key}` : key;
      if (key === DOCUMENTS_KEY && Array.isArray(child)) found.push({ path, list: child as Record<string, unknown>[] });
      else referenceLists(child, path, found);
    }
  }
  return found;
}

/** Whether a body references any document at all. */
export const hasDocumentReferences = (body: unknown): boolean => referenceLists(body, '').some(({ list }) => list.length > 0);

type DocumentRow = { document_id: string; sha256: string; name: string; media_type: string; size: number; uploaded_by: string };

/** A document id as POST /api/documents answers them; anything else is the body's check's to refuse. */
const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Each well-formed reference of the body with its document, or undefined where the account may not reference it. */
async function lookUpReferences(db: Db, body: unknown, by: { accountId: string; caseId?: string }) {
  const found: { path: string; list: Record<string, unknown>[]; i: number; documentId: string; row: DocumentRow | undefined }[] = [];
  for (const { path, list } of referenceLists(body, '')) {
    for (const [i, entry] of list.entries()) {
      const documentId = String((entry as Record<string, unknown> | null)?.documentId);
      if (!DOCUMENT_ID.test(documentId)) continue;
      const row = await db.selectFrom('documents').select(['document_id', 'sha256', 'name', 'media_type', 'size', 'uploaded_by']).where('document_id', '=', documentId).executeTakeFirst();
      const onCase =
        row && by.caseId && row.uploaded_by !== by.accountId
          ? await db.selectFrom('document_references').select('case_id').where('document_id', '=', documentId).where('case_id', '=', by.caseId).executeTakeFirst()
          : undefined;
      found.push({ path, list, i, documentId, row: row && (row.uploaded_by === by.accountId || onCase) ? row : undefined });
    }
  }
  return found;
}

/** Every reference the account may not make, each at its field. */
const refusedOf = (found: Awaited<ReturnType<typeof lookUpReferences>>) =>
  found.filter((f) => !f.row).map((f): FieldIssue => ({ field: `${f.path}.${f.i}.documentId`, message: `没有编号为 ${f.documentId} 的材料，或它不是您上传的：请先上传文件，再附上。`, code: 'document-not-found', english: `no document ${f.documentId} of yours: upload it first` }));

/**
 * Every reference of a body, however malformed the rest of it, that the account may not make, each
 * at its field: for the action route to tell with the body's other problems (一次告知).
 */
export async function documentReferenceProblems(db: Db, body: unknown, by: { accountId: string; caseId?: string }): Promise<FieldIssue[]> {
  return refusedOf(await lookUpReferences(db, body, by));
}

/**
 * Replaces each `{ documentId }` of the body by the document as its event records it (id, SHA-256,
 * name, type, size), in place. A document may be referenced by the account that uploaded it, or
 * again on a case that already references it; anything else is refused, as an unknown id is, every
 * such reference at once, each at its field, and nothing is replaced.
 * Returns the ids, to note against the case once the caller decides to act.
 */
export async function resolveDocumentReferences(db: Db, body: Record<string, unknown>, by: { accountId: string; caseId?: string }): Promise<string[]> {
  const found = await lookUpReferences(db, body, by);
  const refused = refusedOf(found);
  if (refused.length > 0) throw new DocumentReferenceError(refused);
  for (const { list, i, row } of found) {
    const reference: DocumentReference = { documentId: row!.document_id, sha256: row!.sha256, name: row!.name, mediaType: row!.media_type, size: row!.size };
    list[i] = { ...reference };
  }
  return [...new Set(found.map((f) => f.documentId))];
}

/** Notes that the case references these documents, so that those who may see the case may download them. */
export async function noteDocumentReferences(db: Db, caseId: string, documentIds: readonly string[], at: Date): Promise<void> {
  if (documentIds.length === 0) return;
  await db
    .insertInto('document_references')
    .values(documentIds.map((document_id) => ({ document_id, case_id: caseId, referenced_at: at })))
    .onConflict((c) => c.columns(['document_id', 'case_id']).doNothing())
    .execute();
}

/**
 * Who reads a case's documents: officials and auditors see everything the case's events reference;
 * the applicant (and an expert on the panel) not what an official attached as internal
 * (附加材料 without 申请人可以查看, domain/documents/official-attachments.ts). An official of
 * another department, on a case whose office keeps its internal attachments to itself (网信 on a
 * loan, api/views/panel-confidentiality.ts `documentAudienceOn`), reads as the applicant does, save
 * the internal attachments of their own department.
 */
export type DocumentAudience = 'all' | 'applicant' | { readonly ownDepartment: string | null };

/** The audience of an account by its role. */
export const audienceOf = (account: { role: string }): DocumentAudience => (account.role === 'official' || account.role === 'auditor' ? 'all' : 'applicant');

/** An event of the stream `streamId` that records the document, as the audience may see it. */
function recordingEvent(streamId: RawBuilder<unknown> | string, documentId: RawBuilder<unknown> | string, audience: DocumentAudience) {
  // An internal attachment is the event of an official's 附加材料 not marked visible to the applicant.
  const internal = sql`(e.event_type = ${DOCUMENTS_ATTACHED} AND coalesce((e.payload->>'visibleToApplicant')::boolean, false) = false)`;
  const shown =
    audience === 'all'
      ? sql`true`
      : audience === 'applicant'
        ? sql`NOT ${internal}`
        : sql`NOT (${internal} AND (e.payload->>'department') IS DISTINCT FROM ${audience.ownDepartment}::text)`;
  return sql<boolean>`EXISTS (
    SELECT 1 FROM events e
     WHERE e.stream_id = ${streamId}
       AND jsonb_path_exists(e.payload, '$.**.documentId ? (@ == $id)', jsonb_build_object('id', ${documentId}::text))
       AND ${shown}
  )`;
}

/** Whether the case's recorded events reference the document where this audience may see it. */
export async function caseShowsDocument(db: Db, caseId: string, documentId: string, audience: DocumentAudience): Promise<boolean> {
  const row = await db
    .selectNoFrom(() => recordingEvent(caseId, documentId, audience).as('shown'))
    .executeTakeFirstOrThrow();
  return row.shown;
}

/** The cases whose recorded events reference the document, where this audience may see it. */
export async function casesReferencing(db: Db, documentId: string, audience: DocumentAudience = 'all'): Promise<string[]> {
  const rows = await db
    .selectFrom('document_references')
    .select('case_id')
    .where('document_id', '=', documentId)
    .where(() => recordingEvent(sql`document_references.case_id::text`, documentId, audience))
    .execute();
  return rows.map((r) => r.case_id);
}

export interface CaseDocument extends DocumentReference {
  uploadedBy: string;
  uploadedAt: string;
  /** Only an official's internal attachment references it: officials and auditors see it, the applicant does not. */
  internal: boolean;
}

/** The documents the case's recorded events reference, as this audience may see them, in the order they were referenced. */
export async function documentsOfCase(db: Db, caseId: string, audience: DocumentAudience = 'all'): Promise<CaseDocument[]> {
  const rows = await db
    .selectFrom('document_references')
    .innerJoin('documents', 'documents.document_id', 'document_references.document_id')
    .select(['documents.document_id', 'documents.sha256', 'documents.name', 'documents.media_type', 'documents.size', 'documents.uploaded_by', 'documents.uploaded_at'])
    .select((eb) => recordingEvent(caseId, sql`${eb.ref('documents.document_id')}`, 'applicant').as('shown_to_applicant'))
    .where('document_references.case_id', '=', caseId)
    .where((eb) => recordingEvent(caseId, sql`${eb.ref('documents.document_id')}`, audience))
    .orderBy('document_references.referenced_at')
    .orderBy('documents.document_id')
    .execute();
  return rows.map((r) => ({
    documentId: r.document_id,
    sha256: r.sha256,
    name: r.name,
    mediaType: r.media_type,
    size: r.size,
    uploadedBy: r.uploaded_by,
    uploadedAt: r.uploaded_at.toISOString(),
    internal: !r.shown_to_applicant,
  }));
}
