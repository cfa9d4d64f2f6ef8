import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCaseBundle, type CaseBundle } from '../../audit/case-bundle.js';
import { sha256Hex } from '../../db/documents/document-store.js';
import { freshCreditCode } from '../support/actors.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { SAMPLES } from '../support/document-samples.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * 附加材料 (issue 14): an official attaches documents of their own to a case. The event records each
 * document's id, name, type, size and SHA-256 with the official's note; the applicant sees an
 * attachment only when the official marks it visible (internal by default); the case bundle carries
 * the file and tools/verify-bundle.mjs checks it, as for the applicant's own documents.
 */

const VERIFIER = fileURLToPath(new URL('../../tools/verify-bundle.mjs', import.meta.url));
const run = promisify(execFile);

let harness: ApiHarness;
let creator: ApiCaller;
let fundReviewer: ApiCaller;
let cacReviewer: ApiCaller;
let huangpuReviewer: ApiCaller;
let auditor: ApiCaller;
let root: string;

interface Uploaded {
  documentId: string;
  sha256: string;
  download: string;
}
interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
  actor: { accountId: string };
}

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  fundReviewer = await harness.as('fund-reviewer');
  cacReviewer = await harness.as('cac-reviewer');
  huangpuReviewer = await harness.as('huangpu-reviewer');
  auditor = await harness.as('auditor');
  root = path.join(tmpdir(), `youchuang-attachments-${randomBytes(4).toString('hex')}`);
  await mkdir(root, { recursive: true });
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await harness?.close();
});

async function upload(who: ApiCaller, bytes: Buffer, name: string, contentType: string): Promise<Uploaded> {
  const response = await who('POST', `/api/documents?name=${encodeURIComponent(name)}`, bytes, { 'content-type': contentType });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Uploaded>();
}

async function openLoan(): Promise<string> {
  const opened = await creator('POST', '/api/cases/chuying-loan', validApplication(), { 'idempotency-key': randomUUID() });
  expect(opened.statusCode, opened.body).toBeLessThan(300);
  return opened.json<{ caseId: string }>().caseId;
}

const eventsOf = async (who: ApiCaller, caseId: string) => (await who('GET', `/api/cases/${caseId}/events`)).json<{ events: RecordedEvent[] }>().events;
const listed = async (who: ApiCaller, caseId: string) => (await who('GET', `/api/cases/${caseId}/documents`)).json<{ documents: { documentId: string; internal: boolean }[] }>().documents;

describe('附加材料: an official attaches documents of their own to a 雏鹰 loan', () => {
  let caseId: string;
  let inspection: Uploaded;
  let confirmation: Uploaded;

  beforeAll(async () => {
    caseId = await openLoan();
    inspection = await upload(fundReviewer, SAMPLES.pdf, '现场核查记录.pdf', 'application/pdf');
    confirmation = await upload(fundReviewer, SAMPLES.png, '银行确认函.png', 'image/png');
  }, 60_000);

  it('is offered to the case’s officials with the document picker, and not to the applicant', async () => {
    const asOfficial = (await fundReviewer('GET', `/api/cases/${caseId}`)).json<{ availableActions: { name: string; enabled: boolean; bodySchema: { properties: Record<string, { widget?: string }> } }[] }>();
    const attach = asOfficial.availableActions.find((a) => a.name === 'attach-documents')!;
    expect(attach).toMatchObject({ enabled: true });
    expect(attach.bodySchema.properties.documents!.widget).toBe('documents');
    expect(Object.keys(attach.bodySchema.properties)).toEqual(['documents', 'note', 'visibleToApplicant']);
    const asApplicant = (await creator('GET', `/api/cases/${caseId}`)).json<{ availableActions: { name: string }[] }>();
    expect(asApplicant.availableActions.map((a) => a.name)).not.toContain('attach-documents');
    const refused = await creator('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: inspection.documentId }], note: '想附加' });
    expect(refused.statusCode).toBe(403);
  });

  it('records the PDF with its SHA-256 and the note, internal by default: the applicant cannot download or list it', async () => {
    const attached = await fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: inspection.documentId }], note: '现场核查：办公场所与申报一致' });
    expect(attached.statusCode, attached.body).toBe(200);
    expect(attached.json().result.events).toEqual(['OfficialDocumentsAttached']);

    const event = (await eventsOf(fundReviewer, caseId)).find((e) => e.type === 'OfficialDocumentsAttached')!;
    expect(event.actor.accountId).toBe('demo-fund-reviewer');
    expect(event.data).toMatchObject({
      by: { accountId: 'demo-fund-reviewer', displayName: '王审查' },
      department: 'yangpu-fund',
      note: '现场核查：办公场所与申报一致',
      visibleToApplicant: false,
      documents: [{ documentId: inspection.documentId, sha256: sha256Hex(SAMPLES.pdf), name: '现场核查记录.pdf', mediaType: 'application/pdf', size: SAMPLES.pdf.length }],
    });

    // The applicant: 404 as for an unknown document, and not in the case's list.
    const asApplicant = await creator('GET', inspection.download);
    expect(asApplicant.statusCode).toBe(404);
    expect(asApplicant.body).toBe((await creator('GET', `/api/documents/${randomUUID()}`)).body.replace(/[0-9a-f-]{36}/, inspection.documentId));
    expect((await listed(creator, caseId)).map((d) => d.documentId)).not.toContain(inspection.documentId);
    // Nor its note, name or hash in the case's history: only that one was attached, by which department.
    const seenByApplicant = (await eventsOf(creator, caseId)).find((e) => e.type === 'OfficialDocumentsAttached')!;
    expect(seenByApplicant.data).toEqual({ internal: true, department: 'yangpu-fund', attachedAt: (event.data as { attachedAt: string }).attachedAt });

    // The fund's officials, and auditors: the very bytes.
    for (const who of [fundReviewer, auditor]) {
      const download = await who('GET', inspection.download);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(SAMPLES.pdf)).toBe(true);
    }
    expect(await listed(auditor, caseId)).toContainEqual(expect.objectContaining({ documentId: inspection.documentId, internal: true }));
    // 网信, which sees the loan for its content review, not the fund's internal attachment (test/api/loan-money-outside-the-fund.api.test.ts).
    expect((await cacReviewer('GET', inspection.download)).statusCode).toBe(404);
    expect((await listed(cacReviewer, caseId)).map((d) => d.documentId)).not.toContain(inspection.documentId);
    // An official of another department sees no such document.
    expect((await huangpuReviewer('GET', inspection.download)).statusCode).toBe(404);
  }, 60_000);

  it('lets the applicant download one the official marks visible to them', async () => {
    const attached = await cacReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: confirmation.documentId }], note: '银行放款确认函', visibleToApplicant: true });
    // The 网信 reviewer did not upload it and it is not on the case yet: only its uploader may reference it.
    expect(attached.statusCode).toBe(400);
    const byUploader = await fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: confirmation.documentId }], note: '银行放款确认函', visibleToApplicant: true });
    expect(byUploader.statusCode, byUploader.body).toBe(200);
    const download = await creator('GET', confirmation.download);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(SAMPLES.png)).toBe(true);
    expect(await listed(creator, caseId)).toEqual([expect.objectContaining({ documentId: confirmation.documentId, internal: false })]);
    // The internal one stays internal.
    expect((await creator('GET', inspection.download)).statusCode).toBe(404);
  }, 60_000);

  it('records a file once: twenty copies of one attachment at once are one record, and the file again — other words, or its bytes uploaded anew — is refused at its field', async () => {
    const minutes = await upload(fundReviewer, SAMPLES.jpeg, '会谈纪要.jpg', 'image/jpeg');
    const body = { documents: [{ documentId: minutes.documentId }], note: '与申请人会谈纪要', visibleToApplicant: false };
    const ofMinutes = (events: RecordedEvent[]) => events.filter((e) => e.type === 'OfficialDocumentsAttached' && JSON.stringify(e.data.documents).includes(minutes.documentId));
    const before = (await eventsOf(fundReviewer, caseId)).length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    const events = await eventsOf(fundReviewer, caseId);
    expect(events.length - before).toBe(1);
    expect(ofMinutes(events)).toHaveLength(1);
    // One answer recorded it; the others were told it was recorded already, with the first record.
    const results = answers.map((a) => a.json<{ result: { events: string[]; alreadyRecorded?: boolean; recorded?: { attachedAt: string } } }>().result);
    expect(results.filter((r) => r.events.length === 1)).toHaveLength(1);
    expect(results.filter((r) => r.alreadyRecorded === true && r.recorded?.attachedAt === ofMinutes(events)[0]!.data.attachedAt)).toHaveLength(19);

    // The same file with other words: refused, saying when it was attached, at its field.
    const otherWords = await fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, { ...body, note: '会谈纪要（补）' });
    expect(otherWords.statusCode, otherWords.body).toBe(409);
    expect(otherWords.json()).toMatchObject({ code: 'attach-documents-already-attached', issues: [{ field: 'documents.0.documentId', message: expect.stringMatching(/^「会谈纪要\.jpg」已于.+附加到本案$/) }] });
    expect(otherWords.json().message).toMatch(/^文件「会谈纪要\.jpg」已于\d{4}年\d{1,2}月\d{1,2}日附加到本案，无需再次附加。$/);
    // Its bytes uploaded again under another name are the same file.
    const again = await upload(fundReviewer, SAMPLES.jpeg, '纪要扫描件.jpg', 'image/jpeg');
    const reuploaded = await fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: again.documentId }], note: '纪要扫描件' });
    expect(reuploaded.statusCode, reuploaded.body).toBe(409);
    expect(reuploaded.json().message).toContain('所选文件「纪要扫描件.jpg」与');
    expect(ofMinutes(await eventsOf(fundReviewer, caseId))).toHaveLength(1);
  }, 90_000);

  it('refuses an official of another department, and an attachment without a file', async () => {
    const other = await upload(huangpuReviewer, SAMPLES.pdf, '无关.pdf', 'application/pdf');
    const stranger = await huangpuReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: other.documentId }], note: '不相干' });
    expect([403, 404]).toContain(stranger.statusCode);
    const empty = await fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [], note: '空' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('请至少附加 1 个文件');
  });

  it('goes into the auditor’s case bundle, which tools/verify-bundle.mjs verifies', async () => {
    const exported = await auditor('GET', `/api/audit/cases/${caseId}/export`);
    expect(exported.statusCode, exported.body).toBe(200);
    const dir = path.join(root, 'loan');
    await writeCaseBundle(dir, exported.json<CaseBundle>());
    expect((await readFile(path.join(dir, 'documents', sha256Hex(SAMPLES.pdf)))).equals(SAMPLES.pdf)).toBe(true);
    expect((await readFile(path.join(dir, 'documents', sha256Hex(SAMPLES.png)))).equals(SAMPLES.png)).toBe(true);
    // The harness's API has no signing key: its export signs no checkpoint, so the verifier accepts the events only when told to.
    const { stdout } = await run(process.execPath, [VERIFIER, dir, '--json', '--allow-unsigned-tail'], { env: {} });
    const result = JSON.parse(stdout) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.find((c) => c.name === 'document 现场核查记录.pdf')?.detail).toContain('其 SHA-256 正是事件记载的');
  }, 60_000);
});

describe('附加材料 on a micro-drama filing', () => {
  it('is the reviewing department’s: recorded, internal to the producer, and changes nothing of the review', async () => {
    const filed = await creator('POST', '/api/cases/drama-planning-filing', dramaSubmission({ title: '附件剧' }));
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId, status } = filed.json<{ caseId: string; status: string }>();
    const reviewer = await harness.as('filing-reviewer');
    const note = await upload(reviewer, SAMPLES.docx, '审读意见.docx', 'application/octet-stream');
    const attached = await reviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: note.documentId }], note: '审读意见' });
    expect(attached.statusCode, attached.body).toBe(200);
    const after = (await reviewer('GET', `/api/cases/${caseId}`)).json<{ status: string; deadline: unknown }>();
    expect(after.status).toBe(status);
    expect((await creator('GET', note.download)).statusCode).toBe(404);
    expect((await fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: note.documentId }], note: 'x' })).statusCode).toBeGreaterThanOrEqual(400);
    const claimed = await reviewer('POST', `/api/cases/${caseId}/claim`, {});
    expect(claimed.statusCode, claimed.body).toBe(200);
  }, 60_000);
});

describe('附加材料 on a programme application', () => {
  it('is the measure’s department’s: visible to the applicant when marked so, and listed beside the applicant’s own documents', async () => {
    const plan = await upload(creator, SAMPLES.docx, '项目说明.docx', 'application/octet-stream');
    const opened = await creator('POST', '/api/applications/drama-overseas', {
      title: '微短剧出海',
      summary: '出海发行计划',
      facts: { applicantKind: 'company', requestedAmountFen: 1_000_000, unifiedSocialCreditCode: freshCreditCode() },
      documents: [{ documentId: plan.documentId }],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const { caseId } = opened.json<{ caseId: string }>();
    const official = await harness.as('culture-approver');
    const contract = await upload(official, SAMPLES.pdf, '出海发行合同扫描件.pdf', 'application/pdf');
    const attached = await official('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: contract.documentId }], note: '发行合同扫描件', visibleToApplicant: true });
    expect(attached.statusCode, attached.body).toBe(200);
    expect((await listed(creator, caseId)).map((d) => [d.documentId, d.internal])).toEqual([
      [plan.documentId, false],
      [contract.documentId, false],
    ]);
    expect((await creator('GET', contract.download)).statusCode).toBe(200);
    // 雏鹰's fund has nothing to do with a 市文旅局 measure.
    expect((await fundReviewer('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: contract.documentId }], note: 'x' })).statusCode).toBeGreaterThanOrEqual(400);
  }, 60_000);
});
