import { z } from 'zod';
import type { Department } from '../domain/cases/actor.js';
import type { DocumentReference } from '../domain/documents/document-reference.js';
import {
  attachRefusal,
  checkAttachDocuments,
  checkNotAttachedBefore,
  decideAttachDocuments,
  DOCUMENTS_ATTACHED,
  DOCUMENTS_ATTACHED_LABEL,
  isAttachDocuments,
  MAX_ATTACHED_DOCUMENTS,
  repeatedAttachment,
  type HoldsAttachments,
  type AttachDocumentsCommand,
  type OfficialDocumentsAttachedEvent,
} from '../domain/documents/official-attachments.js';
import type { CaseAction, CaseInputBase, CaseModule, CaseStateBase, DecidedEvent, DecisionSupport } from './case-module.js';
import { text } from './fields.js';

/**
 * Since this change a file the case holds is not attached again: the same attachment sent again is
 * answered as done, and any other naming a file already attached is refused. Histories recorded
 * before it replay as they ran (an attachment repeated there was recorded twice).
 */
export const ATTACH_EACH_FILE_ONCE_PATCH = 'attach-each-file-once';

/**
 * 附加材料, declared once for every case type where officials keep papers of their own on the case
 * (applications, the 雏鹰 loan, filings, recoveries): any official of a department that acts on the
 * case (its read model's `departments`, the same that may see it), at any step while it is open.
 * It changes nothing of the case's course: the module's check and decide hand the command here
 * before their own deciders, and its evolve keeps which files are attached (holdAttachment).
 */
export interface AttachDocumentsOptions<S> {
  /** The steps at which it can be taken: every status of the case but the closed ones. */
  at: readonly string[];
  /** The departments that act on the case, as its read model declares them. */
  departmentsOf: (state: S) => readonly Department[];
}

export function attachDocumentsAction<S extends CaseStateBase & HoldsAttachments>({ at, departmentsOf }: AttachDocumentsOptions<S>): CaseAction<S, AttachDocumentsCommand> {
  return {
    name: 'attach-documents',
    type: 'AttachDocuments',
    update: 'attachDocuments',
    label: '附加材料',
    submit: '附加',
    done: '材料已附加到本案。',
    summary: "Officials of a department that acts on the case: attach documents of their own (an inspection note, a bank's confirmation, a scanned contract), internal unless marked visible to the applicant",
    at,
    legacyBeforePatch: ATTACH_EACH_FILE_ONCE_PATCH,
    body: z.strictObject({
      documents: z
        .array(z.strictObject({ documentId: z.uuid('须为上传文件后得到的材料编号') }))
        .min(1, '请至少附加 1 个文件')
        .max(MAX_ATTACHED_DOCUMENTS, `每次最多附加 ${MAX_ATTACHED_DOCUMENTS} 个文件`)
        .meta({ title: '材料', description: 'PDF、图片或 Office 文档，每个不超过 20 MB', widget: 'documents' }),
      note: text(2000).meta({ title: '说明', description: '这是什么材料、从何而来（如：现场核查记录、银行放款确认函）' }),
      visibleToApplicant: z
        .boolean('是或否：申请人是否可以查看')
        .default(false)
        .meta({ title: '申请人可以查看', description: '不勾选时仅工作人员和审计人员可见' }),
    }),
    toCommand: (b) => ({ type: 'AttachDocuments', documents: b.documents as DocumentReference[], note: b.note as string, visibleToApplicant: b.visibleToApplicant === true }),
    who: { official: {} },
    availability: (state, actor) => attachRefusal(actor, departmentsOf(state))?.zh,
    explain: () => '附加的材料连同其校验码记入本案，不能修改或删除，事后被替换也能查出；默认仅工作人员和审计人员可见。',
  };
}

/** Every status of a case type but the closed ones. */
export const openStatuses = (statuses: Readonly<Record<string, string>>, closed: readonly string[]): string[] => Object.keys(statuses).filter((s) => !closed.includes(s));

/**
 * The case type with 附加材料 among its actions: the command is checked and decided here before the
 * module's own decider sees anything, and needs no look-up. The module's events include
 * OfficialDocumentsAttachedEvent and its evolve folds it with holdAttachment (a version and the files).
 */
export function withAttachedDocuments<S extends CaseStateBase & HoldsAttachments, E extends DecidedEvent, C extends { type: string }, I extends CaseInputBase>(
  // The module's events must include the attachment, and its evolve fold it (holdAttachment).
  module: CaseModule<S, E, C, I> & { readonly evolve: (state: S, event: OfficialDocumentsAttachedEvent) => S },
  options: AttachDocumentsOptions<S>,
): CaseModule<S, E, C | AttachDocumentsCommand, I> {
  const { departmentsOf } = options;
  const own = (command: C | AttachDocumentsCommand): command is C => !isAttachDocuments(command);
  return {
    ...module,
    actions: [...module.actions, attachDocumentsAction(options)] as CaseModule<S, E, C | AttachDocumentsCommand, I>['actions'],
    check(state, command, context) {
      if (own(command)) return module.check(state, command, context);
      checkAttachDocuments(command, context.actor, departmentsOf(state));
      if (!context.legacy) checkNotAttachedBefore(state, command, context.actor.department);
    },
    decide(command, state, context) {
      if (own(command)) return module.decide(command, state, context);
      return decideAttachDocuments(command, context.actor, departmentsOf(state), context.now) as unknown as E[];
    },
    ...(module.prepare ? { prepare: (command: C | AttachDocumentsCommand, state: S, ask: DecisionSupport) => (own(command) ? module.prepare!(command, state, ask) : Promise.resolve({})) } : {}),
    repeatOf: (state: S, command: C | AttachDocumentsCommand) => (own(command) ? module.repeatOf?.(state, command) : repeatedAttachment(state, command)),
    eventLabels: { ...module.eventLabels, [DOCUMENTS_ATTACHED]: DOCUMENTS_ATTACHED_LABEL },
  };
}
