import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../db/documents/document-store.js';
import { startApiHarness, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { SAMPLES } from '../support/document-samples.js';
import { dramaSubmission } from '../support/filings.js';

/**
 * A micro-drama filing carries files (剧本、分集梗概、授权文件): an outside tester's reviewer returned a
 * filing asking 请补充每集分镜脚本, and the producer had no way to send it. The files are filed with
 * the filing and with a resubmission, each recorded with its SHA-256 in the event, listed on the case
 * for its reviewers, and never readable by another applicant.
 */

let harness: ApiHarness;
let creator: ApiCaller;
let otherCreator: ApiCaller;
let reviewer: ApiCaller;
let auditor: ApiCaller;

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  otherCreator = await harness.as('other-creator');
  reviewer = await harness.as('filing-reviewer');
  auditor = await harness.as('auditor');
}, 180_000);
afterAll(() => harness?.close());

async function upload(who: ApiCaller, bytes: Buffer, name: string, contentType: string): Promise<{ documentId: string; download: string }> {
  const response = await who('POST', `/api/documents?name=${encodeURIComponent(name)}`, bytes, { 'content-type': contentType });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

type Event = { type: string; data: { submission?: { documents?: { documentId: string; sha256: string; name: string }[] } } };
const submissionsOf = async (caseId: string) => ((await auditor('GET', `/api/cases/${caseId}/events`)).json().events as Event[]).filter((e) => e.type === 'FilingSubmitted' || e.type === 'FilingResubmitted');
const listed = async (who: ApiCaller, caseId: string) => (await who('GET', `/api/cases/${caseId}/documents`)).json<{ documents: { documentId: string; name: string }[] }>().documents.map((d) => d.name);

describe('a micro-drama filing’s files', () => {
  it('are filed with it and with a resubmission after a return, recorded with their hashes, read by its reviewers and by nobody else', async () => {
    const script = await upload(creator, SAMPLES.pdf, '剧本.pdf', 'application/pdf');
    const filed = await creator('POST', '/api/cases/drama-planning-filing', { ...dramaSubmission({ title: '有材料的剧' }), documents: [{ documentId: script.documentId }] });
    expect(filed.statusCode, filed.body).toBe(201);
    const { caseId } = filed.json<{ caseId: string }>();
    const [submitted] = await submissionsOf(caseId);
    expect(submitted!.data.submission!.documents).toEqual([expect.objectContaining({ documentId: script.documentId, sha256: sha256Hex(SAMPLES.pdf), name: '剧本.pdf' })]);
    expect(await listed(reviewer, caseId)).toEqual(['剧本.pdf']);
    expect((await reviewer('GET', script.download)).rawPayload.equals(SAMPLES.pdf)).toBe(true);
    expect((await otherCreator('GET', script.download)).statusCode).toBe(404);

    // Returned for a storyboard: the producer resubmits with it beside the script.
    expect((await reviewer('POST', `/api/cases/${caseId}/claim`, {})).statusCode).toBe(200);
    expect((await reviewer('POST', `/api/cases/${caseId}/return-for-revision`, { reasons: ['请补充每集分镜脚本'] })).statusCode).toBe(200);
    // The resubmission form starts from the files filed, by their ids (as the form sends them back).
    const offered = (await creator('GET', `/api/cases/${caseId}`)).json<{ availableActions: { name: string; prefill: { filing?: { documents?: unknown } } }[] }>().availableActions;
    expect(offered.find((a) => a.name === 'resubmit')!.prefill.filing!.documents).toEqual([{ documentId: script.documentId }]);
    const storyboard = await upload(creator, SAMPLES.png, '分镜脚本.png', 'image/png');
    const resubmitted = await creator('POST', `/api/cases/${caseId}/resubmit`, {
      filing: { ...dramaSubmission({ title: '有材料的剧' }), documents: [{ documentId: script.documentId }, { documentId: storyboard.documentId }] },
      changeNote: '已补充分镜脚本',
    });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    const [, again] = await submissionsOf(caseId);
    expect(again!.data.submission!.documents!.map((d) => [d.name, d.sha256])).toEqual([
      ['剧本.pdf', sha256Hex(SAMPLES.pdf)],
      ['分镜脚本.png', sha256Hex(SAMPLES.png)],
    ]);
    expect(await listed(reviewer, caseId)).toEqual(['剧本.pdf', '分镜脚本.png']);
  }, 90_000);

  it('refuses a file the producer did not upload, at its field, more than twenty, and one listed twice', async () => {
    const theirs = await upload(otherCreator, SAMPLES.pdf, '别人的剧本.pdf', 'application/pdf');
    const borrowed = await creator('POST', '/api/cases/drama-planning-filing', { ...dramaSubmission({ title: '借用材料的剧' }), documents: [{ documentId: theirs.documentId }] });
    expect(borrowed.statusCode).toBe(400);
    expect(borrowed.json().issues).toEqual([expect.objectContaining({ field: 'documents.0.documentId' })]);
    const tooMany = await creator('POST', '/api/cases/drama-planning-filing', { ...dramaSubmission({ title: '材料太多的剧' }), documents: Array.from({ length: 21 }, () => ({ documentId: theirs.documentId })) });
    expect(tooMany.statusCode).toBe(400);
    // One file listed twice would be recorded twice: refused at the second listing.
    const mine = await upload(creator, SAMPLES.pdf, '剧本（两次）.pdf', 'application/pdf');
    const twice = await creator('POST', '/api/cases/drama-planning-filing', { ...dramaSubmission({ title: '同一文件两次的剧' }), documents: [{ documentId: mine.documentId }, { documentId: mine.documentId }] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().issues).toEqual([expect.objectContaining({ field: 'documents.1.documentId', message: '同一文件只需附上一次' })]);
  });
});
