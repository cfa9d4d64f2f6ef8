import { DEPARTMENTS, type Actor, type Department } from '../cases/actor.js';
import { DomainError, refusal, validationError, type Refusal } from '../errors.js';
import { chineseDate, shanghaiDateOf } from '../time/local-date.js';
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

/**
 * What a case keeps of each attachment, in its state: which files (by their content) and with which
 * words, so that a file already on the case is not recorded on it again: an official who sends the
 * same attachment twice, or thirty copies of one request at once, adds one record, not thirty, and
 * the same bytes uploaded again under another name are the same file.
 */
export interface HeldAttachment {
  /** The department that attached them: another department's internal files are not for it to know of. */
  department: string;
  documents: { documentId: string; sha256: string; name: string }[];
  note: string;
  visibleToApplicant: boolean;
  attachedAt: string;
}

/** A case state that keeps its attachments (absent until the first). */
export interface HoldsAttachments {
  attachments?: HeldAttachment[];
}

/** The fold of an attachment: the case's version moves, its course does not; the files are kept. */
export function holdAttachment<S extends HoldsAttachments>(state: S, event: OfficialDocumentsAttachedEvent): S {
  const { department, documents, note, visibleToApplicant, attachedAt } = event.data;
  const held: HeldAttachment = { department, documents: documents.map(({ documentId, sha256, name }) => ({ documentId, sha256, name })), note, visibleToApplicant, attachedAt };
  return { ...state, attachments: [...(state.attachments ?? []), held] };
}

// By the uploads themselves: an upload is its uploader's, so another department never repeats one it cannot see.
const sameFiles = (held: HeldAttachment, command: AttachDocumentsCommand): boolean =>
  held.documents.length === command.documents.length && command.documents.every((d) => held.documents.some((h) => h.documentId === d.documentId));

/**
 * The attachment this command repeats word for word (the same files, note and visibility), or
 * undefined: the driver answers a repeat with the first record and records nothing.
 */
export function repeatedAttachment(state: HoldsAttachments, command: AttachDocumentsCommand): { attachedAt: string; documents: HeldAttachment['documents'] } | undefined {
  const held = state.attachments?.find((h) => sameFiles(h, command) && h.note === command.note && h.visibleToApplicant === command.visibleToApplicant);
  return held ? { attachedAt: held.attachedAt, documents: held.documents } : undefined;
}

/**
 * A file of the command that the case already holds — the same upload, or the same bytes uploaded
 * again by the same department — unless the command repeats that attachment word for word (answered
 * as done): a conflict naming the file and the day it was attached, at its field. Another
 * department's files are compared by upload only: its internal attachments are not for this one to
 * learn of (网信 does not see what the fund attaches to a loan), so the same bytes are theirs to attach.
 */
export function checkNotAttachedBefore(state: HoldsAttachments, command: AttachDocumentsCommand, department: string | undefined): void {
  if (!state.attachments?.length || repeatedAttachment(state, command)) return;
  for (const [i, d] of command.documents.entries()) {
    const held = state.attachments
      .flatMap((h) => h.documents.map((file) => ({ file, attachedAt: h.attachedAt, ownDepartment: h.department === department })))
      .find(({ file, ownDepartment }) => file.documentId === d.documentId || (ownDepartment && file.sha256 === d.sha256));
    if (!held) continue;
    const on = chineseDate(shanghaiDateOf(Date.parse(held.attachedAt)));
    const zh =
      held.file.documentId === d.documentId
        ? `文件「${held.file.name}」已于${on}附加到本案，无需再次附加。`
        : `所选文件「${d.name}」与${on}附加到本案的「${held.file.name}」内容相同，无需再次附加。`;
    throw new DomainError(
      'conflict',
      { code: 'attach-documents-already-attached', zh, en: `document ${d.documentId} is already on the case (attached ${held.attachedAt} as ${held.file.documentId})`, params: { documentId: held.file.documentId, attachedAt: held.attachedAt } },
      [{ field: `documents.${i}.documentId`, message: held.file.documentId === d.documentId ? `「${held.file.name}」已于${on}附加到本案` : `与${on}附加的「${held.file.name}」内容相同`, code: 'attach-documents-already-attached' }],
    );
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
