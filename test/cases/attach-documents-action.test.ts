import { describe, expect, it } from 'vitest';
import { CASE_MODULES } from '../../cases/registry.js';
import { dramaFilingCase } from '../../cases/drama-filing.case.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { DocumentReference } from '../../domain/documents/document-reference.js';
import { asSeenByApplicant, checkNotAttachedBefore, type AttachDocumentsCommand } from '../../domain/documents/official-attachments.js';
import type { DramaFilingEvent } from '../../domain/drama-filing/events.js';
import { foldDramaFiling } from '../../domain/drama-filing/state.js';
import { dramaFilingTerms } from '../../domain/drama-filing/terms.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { applicant, auditor, filingReviewer, fundReviewer } from '../support/actors.js';

/** 附加材料 (issue 14), as the case modules declare and decide it (cases/attach-documents-action.ts). */

const DOCUMENT: DocumentReference = { documentId: '0b7c3a55-0000-4000-8000-00000000d0c1', sha256: 'a'.repeat(64), name: '现场核查记录.pdf', mediaType: 'application/pdf', size: 1234 };
const attach = (overrides: Partial<AttachDocumentsCommand> = {}): AttachDocumentsCommand => ({ type: 'AttachDocuments', documents: [DOCUMENT], note: '现场核查', visibleToApplicant: false, ...overrides });

const filed: DramaFilingEvent = {
  type: 'FilingSubmitted',
  data: {
    caseId: '7f1c2d3e-0000-4000-8000-0000000000a1',
    referenceNo: 'BA-2026-000009',
    filingType: 'drama-planning-filing',
    applicant: { accountId: applicant.accountId, displayName: applicant.displayName },
    submission: { title: '外滩往事', producer: '上海星河文化传媒有限公司', episodeCount: 80, episodeLengthMinutes: 2, aiGenerated: true, synopsis: '梗概', platform: '抖音' },
    submittedAt: '2026-09-30T02:00:00.000Z',
    submittedOn: parseLocalDate('2026-09-30'),
    terms: dramaFilingTerms('drama-planning-filing'),
    deadline: { workingDays: 2, startedOn: parseLocalDate('2026-09-30'), lastWorkingDay: parseLocalDate('2026-10-09'), deadlineAt: '2026-10-09T16:00:00.000Z', provisional: false },
  },
};
const awaitingClaim = foldDramaFiling([filed]);
const context = (actor: Actor) => ({ actor, now: Date.parse('2026-10-01T02:00:00Z'), legacy: false, prepared: {} });

describe('附加材料 is declared once, for the case types whose officials keep papers on the case', () => {
  it('is an action of applications, 雏鹰 loans, filings and recoveries (not of calls), at every open step only', () => {
    const withIt = CASE_MODULES.filter((m) => m.actions.some((a) => a.name === 'attach-documents')).map((m) => m.caseType);
    expect(withIt.sort()).toEqual(['application', 'chuying-loan', 'drama-filing', 'recovery']);
    for (const module of CASE_MODULES.filter((m) => withIt.includes(m.caseType))) {
      const action = module.actions.find((a) => a.name === 'attach-documents')!;
      expect(action).toMatchObject({ type: 'AttachDocuments', update: 'attachDocuments', label: '附加材料', who: { official: {} } });
      // Never at a closed step (the case's workflow has ended) nor before the case exists.
      expect(action.at.length).toBeGreaterThan(0);
      expect(action.at.every((status) => !module.isTerminal({ ...module.initialState(), status }))).toBe(true);
      expect(action.at).not.toContain(module.initialState().status);
      expect(module.eventLabels?.OfficialDocumentsAttached).toBe('工作人员附加材料');
      // Its evolve (the workflow's, the projection's and the auditor's fold) counts the event and keeps which files, nothing else.
      const before = { ...module.initialState(), version: 3 };
      const event = { type: 'OfficialDocumentsAttached', data: { by: { accountId: 'x', displayName: 'x' }, department: 'yangpu-fund', documents: [DOCUMENT], note: 'n', visibleToApplicant: false, attachedAt: '2026-10-01T02:00:00.000Z' } };
      const held = { department: 'yangpu-fund', documents: [{ documentId: DOCUMENT.documentId, sha256: DOCUMENT.sha256, name: DOCUMENT.name }], note: 'n', visibleToApplicant: false, attachedAt: '2026-10-01T02:00:00.000Z' };
      expect(module.evolve(before, event)).toEqual({ ...before, version: 4, attachments: [held] });
      // The auditor's fold of the stream type is the same (cases/folds.ts).
      expect(module.evolve(module.evolve(before, event), event)).toEqual({ ...before, version: 5, attachments: [held, held] });
    }
  });

  it('records the documents with their hashes and the note, and changes nothing else of the case', () => {
    const events = dramaFilingCase.decide(attach({ visibleToApplicant: true }), awaitingClaim, context(filingReviewer));
    expect(events).toEqual([
      {
        type: 'OfficialDocumentsAttached',
        data: { by: { accountId: filingReviewer.accountId, displayName: filingReviewer.displayName }, department: 'culture-tourism', documents: [DOCUMENT], note: '现场核查', visibleToApplicant: true, attachedAt: '2026-10-01T02:00:00.000Z' },
      },
    ]);
    const after = events.reduce(dramaFilingCase.evolve, awaitingClaim);
    expect(after).toEqual({
      ...awaitingClaim,
      version: awaitingClaim.version + 1,
      attachments: [{ department: 'culture-tourism', documents: [{ documentId: DOCUMENT.documentId, sha256: DOCUMENT.sha256, name: DOCUMENT.name }], note: '现场核查', visibleToApplicant: true, attachedAt: '2026-10-01T02:00:00.000Z' }],
    });
    // The projection folds the same way: the read model is the one before, bar nothing.
    expect(dramaFilingCase.readModel!(after)).toEqual(dramaFilingCase.readModel!(awaitingClaim));
  });

  it('is refused to the applicant, auditors and other departments, in the same words the case page shows', () => {
    const action = dramaFilingCase.actions.find((a) => a.name === 'attach-documents')!;
    expect(action.availability(awaitingClaim, filingReviewer, 0)).toBeUndefined();
    for (const actor of [applicant, auditor, fundReviewer]) {
      const why = action.availability(awaitingClaim, actor, 0);
      expect(why).toBeDefined();
      expect(() => dramaFilingCase.check(awaitingClaim, attach(), context(actor))).toThrow(why);
    }
    expect(action.availability(awaitingClaim, fundReviewer, 0)).toContain('市文旅局');
  });

  it('refuses a document that did not come through the upload (no hash), one listed twice, and none at all', () => {
    expect(() => dramaFilingCase.check(awaitingClaim, attach({ documents: [{ ...DOCUMENT, sha256: '' }] }), context(filingReviewer))).toThrow('未经上传核验');
    expect(() => dramaFilingCase.check(awaitingClaim, attach({ documents: [DOCUMENT, DOCUMENT] }), context(filingReviewer))).toThrow('引用了两次');
    expect(() => dramaFilingCase.check(awaitingClaim, attach({ documents: [] }), context(filingReviewer))).toThrow('1 至 20 个文件');
  });

  it('keeps each file once: the same attachment again is answered as done, another naming a file already on the case is refused at its field', () => {
    const attached = dramaFilingCase.decide(attach(), awaitingClaim, context(filingReviewer)).reduce(dramaFilingCase.evolve, awaitingClaim);
    // The same files, note and visibility (a double click, thirty copies of one request): the first record, nothing new.
    expect(dramaFilingCase.repeatOf!(attached, attach())).toEqual({ attachedAt: '2026-10-01T02:00:00.000Z', documents: [{ documentId: DOCUMENT.documentId, sha256: DOCUMENT.sha256, name: DOCUMENT.name }] });
    expect(() => dramaFilingCase.check(attached, attach(), context(filingReviewer))).not.toThrow();
    expect(dramaFilingCase.repeatOf!(awaitingClaim, attach())).toBeUndefined();
    // The file once more with other words, or beside a new file: refused, naming the file and the day.
    const other: DocumentReference = { ...DOCUMENT, documentId: '0b7c3a55-0000-4000-8000-00000000d0c2', sha256: 'b'.repeat(64), name: '补充说明.pdf' };
    for (const command of [attach({ note: '另一说明' }), attach({ visibleToApplicant: true }), attach({ documents: [other, DOCUMENT] })]) {
      expect(dramaFilingCase.repeatOf!(attached, command)).toBeUndefined();
      let refused: unknown;
      try {
        dramaFilingCase.check(attached, command, context(filingReviewer));
      } catch (error) {
        refused = error;
      }
      expect(refused).toMatchObject({ kind: 'conflict', code: 'attach-documents-already-attached', message: '文件「现场核查记录.pdf」已于2026年10月1日附加到本案，无需再次附加。' });
      expect((refused as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([`documents.${command.documents.indexOf(DOCUMENT)}.documentId`]);
    }
    // The same bytes uploaded again under another name are the same file.
    const again: DocumentReference = { ...DOCUMENT, documentId: '0b7c3a55-0000-4000-8000-00000000d0c3', name: '核查记录（再次上传）.pdf' };
    expect(() => dramaFilingCase.check(attached, attach({ documents: [again], note: '再传一次' }), context(filingReviewer))).toThrow(
      '所选文件「核查记录（再次上传）.pdf」与2026年10月1日附加到本案的「现场核查记录.pdf」内容相同，无需再次附加。',
    );
    // Another department may attach the same bytes it uploaded itself: the first department's internal files are not for it to learn of.
    const otherDepartment = { ...filingReviewer, department: 'huangpu' as const };
    expect(() => checkNotAttachedBefore(attached, attach({ documents: [again], note: '另一部门' }), otherDepartment.department)).not.toThrow();
    // A new file alone is attached as before.
    expect(() => dramaFilingCase.check(attached, attach({ documents: [other] }), context(filingReviewer))).not.toThrow();
    // A history recorded before the change replays as it ran: the repeat was recorded there.
    expect(() => dramaFilingCase.check(attached, attach({ note: '另一说明' }), { ...context(filingReviewer), legacy: true })).not.toThrow();
    expect(dramaFilingCase.actions.find((a) => a.name === 'attach-documents')!.legacyBeforePatch).toBe('attach-each-file-once');
  });

  it('shows the applicant, in the timeline, only that officials attached something internal, and a visible attachment whole', () => {
    const [internal] = dramaFilingCase.decide(attach(), awaitingClaim, context(filingReviewer));
    expect(asSeenByApplicant(internal!)).toEqual({ type: 'OfficialDocumentsAttached', data: { internal: true, department: 'culture-tourism', attachedAt: '2026-10-01T02:00:00.000Z' } });
    const [visible] = dramaFilingCase.decide(attach({ visibleToApplicant: true }), awaitingClaim, context(filingReviewer));
    expect(asSeenByApplicant(visible!)).toBe(visible);
    expect(asSeenByApplicant(filed)).toBe(filed);
  });
});
