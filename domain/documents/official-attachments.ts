import { DEPARTMENTS, type Actor, type Department } from '../cases/actor.js';
import { refusal, validationError, type Refusal } from '../errors.js';
import type { DocumentReference } from './document-reference.js';

/**
 * 附加材料: an official of a department that acts on the case attaches documents of their own (an
 * inspection note, a bank's confirmation, a scanned contract) with a note saying what they are.
 * The event records each document's id, SHA-256, name, type and size, so the audit bundle proves
 * which file the case holds, as it does for the applicant's. An attachment is internal (officials
 * and auditors) unless the official marks it visible to the applicant. Pure: no I/O, no clock.
 */

export const DOCUMENTS_ATTACHED = 'OfficialDocumentsAttached';
export const MAX_ATTACHED_DOCUMENTS = 20;

export interface AttachDocumentsCommand {
  type: 'AttachDocuments';
  /** As the action route resolved them: each with its SHA-256 (db/documents/document-references.ts). */
  documents: DocumentReference[];
  note: string;
  visibleToApplicant: boolean;
}

export interface OfficialDocumentsAttachedEvent {
  type: typeof DOCUMENTS_ATTACHED;
  data: {
    by: { accountId: string; displayName: string };
    /** The department the official attached them for. */
    department: Department;
    documents: DocumentReference[];
    note: string;
    /** False: officials and auditors only (the default). True: the applicant sees and downloads them too. */
    visibleToApplicant: boolean;
    attachedAt: string;
  };
}

export const DOCUMENTS_ATTACHED_LABEL = '工作人员附加材料';

export const isAttachDocuments = (command: { type: string }): command is AttachDocumentsCommand => command.type === 'AttachDocuments';

/** Why this person may not attach documents to a case seen by these departments, or undefined when they may. */
export function attachRefusal(actor: Actor, departments: readonly Department[]): Refusal | undefined {
  if (actor.role !== 'official') {
    return refusal('forbidden', { code: 'attach-documents-officials-only', zh: '只有办理本案的部门工作人员可以附加材料。', en: 'only officials of a department that acts on the case attach documents' });
  }
  if (!actor.department || !departments.includes(actor.department)) {
    const theirs = departments.map((d) => DEPARTMENTS[d]).join('、');
    return refusal('forbidden', {
      code: 'attach-documents-other-department',
      zh: `本案由${theirs || '其他部门'}办理，您所在部门不能为本案附加材料。`,
      en: `the case is handled by ${departments.join(', ') || 'another department'}; officials of ${actor.department ?? 'no department'} attach nothing to it`,
      params: { department: actor.department ?? null },
    });
  }
  return undefined;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The whole command: who attaches, and documents that are resolved (with their hash) and listed once each. */
export function checkAttachDocuments(command: AttachDocumentsCommand, actor: Actor, departments: readonly Department[]): void {
  const refused = attachRefusal(actor, departments);
  if (refused) throw refused.error;
  if (command.documents.length === 0 || command.documents.length > MAX_ATTACHED_DOCUMENTS) {
    throw validationError({ code: 'attach-documents-count', zh: `请附加 1 至 ${MAX_ATTACHED_DOCUMENTS} 个文件。`, en: `attach 1 to ${MAX_ATTACHED_DOCUMENTS} documents` }, [
      { field: 'documents', message: `1 至 ${MAX_ATTACHED_DOCUMENTS} 个文件`, code: 'attach-documents-count' },
    ]);
  }
  command.documents.forEach((d, i) => {
    // The action route replaces each id by the stored document; a command without the hash did not come through it.
    if (!SHA256.test(d.sha256 ?? '')) {
      throw validationError({ code: 'attach-documents-unresolved', zh: '材料未经上传核验，不能附加：请先上传文件，再引用返回的材料编号。', en: `document ${d.documentId} carries no SHA-256` }, [
        { field: `documents.${i}.documentId`, message: '请先上传文件', code: 'attach-documents-unresolved' },
      ]);
    }
  });
  const ids = command.documents.map((d) => d.documentId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) {
    throw validationError({ code: 'attach-documents-duplicate', zh: `同一文件（${twice}）引用了两次。`, en: `document ${twice} is listed twice` }, [
      { field: 'documents', message: '同一文件只需引用一次', code: 'attach-documents-duplicate' },
    ]);
  }
}

/** The event an allowed attachment records. */
export function decideAttachDocuments(command: AttachDocumentsCommand, actor: Actor, departments: readonly Department[], now: number): OfficialDocumentsAttachedEvent[] {
  checkAttachDocuments(command, actor, departments);
  return [
    {
      type: DOCUMENTS_ATTACHED,
      data: {
        by: { accountId: actor.accountId, displayName: actor.displayName },
        department: actor.department!,
        documents: command.documents.map(({ documentId, sha256, name, mediaType, size }) => ({ documentId, sha256, name, mediaType, size })),
        note: command.note,
        visibleToApplicant: command.visibleToApplicant,
        attachedAt: new Date(now).toISOString(),
      },
    },
  ];
}

/** Whether a recorded event is an official's attachment the applicant may not see. */
export function isInternalAttachment(event: { type: string; data: unknown }): boolean {
  return event.type === DOCUMENTS_ATTACHED && (event.data as { visibleToApplicant?: unknown } | null)?.visibleToApplicant !== true;
}

/**
 * An event as the applicant (or an expert) may read it in the case's timeline: of an internal
 * attachment, only that officials attached material and when — not the note, the files' names or
 * their hashes. Every other event as recorded.
 */
export function asSeenByApplicant<E extends { type: string; data: unknown }>(event: E): E {
  if (!isInternalAttachment(event)) return event;
  const data = event.data as OfficialDocumentsAttachedEvent['data'];
  return { ...event, data: { internal: true, department: data.department, attachedAt: data.attachedAt } };
}

/**
 * An event as an official of another department reads it where the case's office keeps its internal
 * attachments (a loan's, from 网信): as the applicant does, save their own department's attachments.
 */
export function asSeenByAnotherDepartment<E extends { type: string; data: unknown }>(event: E, ownDepartment: string | null): E {
  if (!isInternalAttachment(event) || (event.data as { department?: unknown } | null)?.department === ownDepartment) return event;
  return asSeenByApplicant(event);
}
