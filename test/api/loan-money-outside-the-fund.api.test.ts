import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { startApiHarness, validApplication, type ApiCaller, type ApiHarness } from '../support/api-harness.js';
import { SAMPLES } from '../support/document-samples.js';

/**
 * 网信 sees a 雏鹰 loan for its content review. What the fund lends and is repaid (the bank
 * references, the schedule, the borrower's reports, what is left owing) is the fund's: 网信's
 * officials read that the fund recorded something, not what. The fund, the auditor and the borrower
 * read it all, as before. So are the fund's internal attachments (a 征信报告): 网信 reads them as the
 * borrower does, that one was attached.
 */
let harness: ApiHarness;
let creator: ApiCaller;
let fundReviewer: ApiCaller;
let fundApprover: ApiCaller;
let cacReviewer: ApiCaller;
let auditor: ApiCaller;
let cacApprover: ApiCaller;
let caseId: string;
/** The fund's internal attachment, and one 网信 attached for itself. */
let creditReport: { documentId: string; download: string };
let cacNote: { documentId: string; download: string };
const bankReference = 'BOC-FUND-ONLY-001';
const repaymentReference = 'ICBC-REPAID-001';
const declaredReference = 'ICBC-DECLARED-002';

beforeAll(async () => {
  harness = await startApiHarness();
  creator = await harness.as('creator');
  fundReviewer = await harness.as('fund-reviewer');
  fundApprover = await harness.as('fund-approver');
  cacReviewer = await harness.as('cac-reviewer');
  auditor = await harness.as('auditor');
  cacApprover = await harness.as('cac-approver');
  const opened = await creator('POST', '/api/cases/chuying-loan', validApplication());
  expect(opened.statusCode, opened.body).toBe(201);
  caseId = opened.json().caseId;
  const today = shanghaiDateOf(await harness.env.currentTimeMs());
  for (const [caller, action, body] of [
    [fundReviewer, 'accept-materials', {}],
    [cacReviewer, 'pass-compliance-review', { notes: '内容积极健康' }],
    [fundApprover, 'approve-funding', { approvedAmountFen: 36_000_000, notes: '核减' }],
    [fundReviewer, 'record-disbursement', { disbursedOn: today, bankReference }],
    [fundReviewer, 'record-repayment', { amountFen: 1_000_000, paidOn: today, reference: repaymentReference }],
    [creator, 'declare-repayment', { amountFen: 1_000_000, paidOn: today, reference: declaredReference, note: '第 2 期' }],
  ] as const) {
    const response = await caller('POST', `/api/cases/${caseId}/${action}`, body);
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
  }
  const attachInternal = async (official: ApiCaller, name: string, note: string) => {
    const uploaded = await official('POST', `/api/documents?name=${encodeURIComponent(name)}`, SAMPLES.pdf, { 'content-type': 'application/pdf' });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const attached = await official('POST', `/api/cases/${caseId}/attach-documents`, { documents: [{ documentId: uploaded.json().documentId }], note, visibleToApplicant: false });
    expect(attached.statusCode, attached.body).toBe(200);
    return uploaded.json<{ documentId: string; download: string }>();
  };
  creditReport = await attachInternal(fundReviewer, '征信报告-内部.pdf', '企业征信：无不良记录');
  cacNote = await attachInternal(cacReviewer, '内容审读意见.pdf', '网信内部审读意见');
});
afterAll(() => harness?.close());

describe('a loan in repayment as 网信 reads it', () => {
  it('shows the company, the project and the decision, not the disbursement, the schedule, the reports or what is owed', async () => {
    const response = await cacReviewer('GET', `/api/cases/${caseId}`);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.company.name).toBeTruthy();
    expect(view.approvedAmountFen).toBe(36_000_000);
    expect(view.disbursement).toBeNull();
    expect(view.schedule).toEqual([]);
    expect(view.repaymentDeclarations).toBeUndefined();
    expect(view.outstandingFen).toBeNull();
    expect(view.overview).toContainEqual({ label: '放款与还款', value: '由杨浦区 V聚场基金办理，明细仅基金工作人员和审计人员可见' });
    expect(view.overview.map((line: { label: string }) => line.label)).not.toContain('放款');
    // Nothing of the money anywhere in the answer.
    for (const secret of [bankReference, repaymentReference, declaredReference]) expect(response.body).not.toContain(secret);
  });

  it('reads the money events of the timeline as recorded by the fund, without what they say', async () => {
    const response = await cacReviewer('GET', `/api/cases/${caseId}/events`);
    expect(response.statusCode, response.body).toBe(200);
    const events = response.json().events as { type: string; data: Record<string, unknown>; hash: string }[];
    const byType = (type: string) => events.find((e) => e.type === type)!;
    for (const type of ['LoanDisbursed', 'RepaymentRecorded', 'RepaymentDeclared']) expect(byType(type).data).toEqual({ withheld: 'fund-business' });
    // Its own review and the decision are read whole, and every event keeps its place and hash.
    expect(byType('ComplianceReviewPassed').data).toMatchObject({ notes: '内容积极健康' });
    expect(byType('FundingApproved').data).toMatchObject({ approvedAmountFen: 36_000_000 });
    const whole = (await auditor('GET', `/api/cases/${caseId}/events`)).json().events as { hash: string }[];
    expect(events.map((e) => e.hash)).toEqual(whole.map((e) => e.hash));
    for (const secret of [bankReference, repaymentReference, declaredReference]) expect(response.body).not.toContain(secret);
  });

  it("neither downloads nor lists the fund's internal attachment, and reads its event as the borrower does; 网信's own it reads", async () => {
    for (const official of [cacReviewer, cacApprover]) {
      expect((await official('GET', creditReport.download)).statusCode).toBe(404);
      const listed = (await official('GET', `/api/cases/${caseId}/documents`)).json().documents as { documentId: string }[];
      expect(listed.map((d) => d.documentId)).not.toContain(creditReport.documentId);
      expect(listed.map((d) => d.documentId)).toContain(cacNote.documentId);
    }
    // What 网信 attached as internal is its own department's: another of its officials reads it.
    const ownDownload = await cacApprover('GET', cacNote.download);
    expect(ownDownload.statusCode).toBe(200);
    expect(ownDownload.rawPayload.equals(SAMPLES.pdf)).toBe(true);
    const response = await cacReviewer('GET', `/api/cases/${caseId}/events`);
    const attachments = (response.json().events as { type: string; data: Record<string, unknown> }[]).filter((e) => e.type === 'OfficialDocumentsAttached');
    expect(attachments).toHaveLength(2);
    expect(attachments[0]!.data).toEqual({ internal: true, department: 'yangpu-fund', attachedAt: expect.any(String) });
    expect(attachments[1]!.data).toMatchObject({ department: 'cac', note: '网信内部审读意见' });
    for (const secret of ['征信报告-内部.pdf', '企业征信：无不良记录', creditReport.documentId]) expect(response.body).not.toContain(secret);
  });

  it("shows the borrower's phone masked: in clear for the fund's officials only", async () => {
    for (const official of [cacReviewer, cacApprover]) {
      const response = await official('GET', `/api/cases/${caseId}`);
      expect(response.json().personalData).toEqual({ idNumber: null, contactPhone: '139****5678', shown: 'masked' });
      expect(response.body).not.toContain('13912345678');
    }
    expect((await fundReviewer('GET', `/api/cases/${caseId}`)).json().personalData).toEqual({ idNumber: null, contactPhone: '13912345678', shown: 'clear' });
    expect((await auditor('GET', `/api/cases/${caseId}`)).json().personalData).toMatchObject({ contactPhone: '139****5678', shown: 'masked' });
  });

  it('gives 网信 no 查询码: the borrower and the fund read it out, 网信 calls nobody', async () => {
    const code = (await creator('GET', `/api/cases/${caseId}`)).json().progressCode as string;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect((await fundReviewer('GET', `/api/cases/${caseId}`)).json().progressCode).toBe(code);
    for (const official of [cacReviewer, cacApprover]) {
      const response = await official('GET', `/api/cases/${caseId}`);
      expect(response.json()).not.toHaveProperty('progressCode');
      expect(response.json().overview.map((line: { label: string }) => line.label)).not.toContain('查询码');
      expect(response.body).not.toContain(code);
    }
  });

  it('lists the loan without what is owed', async () => {
    const listed = (await cacReviewer('GET', '/api/cases?limit=100')).json().cases.find((c: { caseId: string }) => c.caseId === caseId);
    expect(listed).toMatchObject({ caseId, outstandingFen: null });
    const queued = (await cacReviewer('GET', '/api/worklist?pageSize=100')).json().cases.find((c: { caseId: string }) => c.caseId === caseId);
    if (queued) expect(queued.outstandingFen).toBeNull();
  });
});

describe('the same loan as the fund, the auditor and the borrower read it', () => {
  it('shows them the disbursement, the schedule, the reports and what is owed', async () => {
    for (const caller of [fundReviewer, auditor, creator]) {
      const response = await caller('GET', `/api/cases/${caseId}`);
      const view = response.json();
      expect(view.disbursement).toMatchObject({ bankReference });
      expect(view.schedule).toHaveLength(36);
      expect(view.repaymentDeclarations).toHaveLength(1);
      expect(view.outstandingFen).toBe(35_000_000);
      expect(view.overview.map((line: { label: string }) => line.label)).not.toContain('放款与还款');
      const events = (await caller('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      expect(events.find((e) => e.type === 'RepaymentRecorded')!.data).toMatchObject({ reference: repaymentReference });
    }
    const listed = (await fundReviewer('GET', '/api/cases?limit=100')).json().cases.find((c: { caseId: string }) => c.caseId === caseId);
    expect(listed.outstandingFen).toBe(35_000_000);
  });

  it("gives the fund and the auditor the fund's internal attachment and 网信's alike, the borrower neither", async () => {
    for (const caller of [fundApprover, auditor]) {
      for (const document of [creditReport, cacNote]) expect((await caller('GET', document.download)).statusCode).toBe(200);
      const events = (await caller('GET', `/api/cases/${caseId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
      expect(events.find((e) => e.type === 'OfficialDocumentsAttached')!.data).toMatchObject({ note: '企业征信：无不良记录' });
    }
    for (const document of [creditReport, cacNote]) expect((await creator('GET', document.download)).statusCode).toBe(404);
  });
});

/**
 * An application whose measure 网信 reviews for content is not a loan: 网信 reads what it reviews,
 * the department's attachments among it (api/routes/cases.routes.ts, the events route).
 */
describe('an application 网信 reviews, beside the loan', () => {
  let applicationId: string;
  let inspection: { documentId: string; download: string };
  let tenant: ApiCaller;
  let departmentReviewer: ApiCaller;

  beforeAll(async () => {
    tenant = await harness.as('individual-creator');
    departmentReviewer = await harness.as('yangpu-reviewer');
    const opened = await tenant('POST', '/api/applications/yangpu-honour-title', {
      title: '荣誉称号申报',
      summary: '知识区创作者',
      facts: { applicantKind: 'individual-creator', requestedAmountFen: 5_000_000 },
      personalData: { contactPhone: '13712345678' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    applicationId = opened.json().caseId;
    expect((await departmentReviewer('POST', `/api/cases/${applicationId}/accept-materials`, {})).statusCode).toBe(200);
    const uploaded = await departmentReviewer('POST', `/api/documents?name=${encodeURIComponent('核查记录-内部.pdf')}`, SAMPLES.pdf, { 'content-type': 'application/pdf' });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    inspection = uploaded.json();
    const attached = await departmentReviewer('POST', `/api/cases/${applicationId}/attach-documents`, { documents: [{ documentId: inspection.documentId }], note: '作品核查记录', visibleToApplicant: false });
    expect(attached.statusCode, attached.body).toBe(200);
  });

  it("lets 网信 read the department's internal attachment, as before", async () => {
    expect((await cacReviewer('GET', inspection.download)).statusCode).toBe(200);
    const listed = (await cacReviewer('GET', `/api/cases/${applicationId}/documents`)).json().documents as { documentId: string }[];
    expect(listed.map((d) => d.documentId)).toContain(inspection.documentId);
    const events = (await cacReviewer('GET', `/api/cases/${applicationId}/events`)).json().events as { type: string; data: Record<string, unknown> }[];
    expect(events.find((e) => e.type === 'OfficialDocumentsAttached')!.data).toMatchObject({ note: '作品核查记录' });
    expect((await tenant('GET', inspection.download)).statusCode).toBe(404);
  });

  it("shows 网信 the applicant's phone masked, the department in clear", async () => {
    const seen = await cacReviewer('GET', `/api/cases/${applicationId}`);
    expect(seen.json().personalData).toMatchObject({ contactPhone: '137****5678', shown: 'masked' });
    expect(seen.body).not.toContain('13712345678');
    expect((await departmentReviewer('GET', `/api/cases/${applicationId}`)).json().personalData).toMatchObject({ contactPhone: '13712345678', shown: 'clear' });
  });

  it('gives 网信 no 查询码, the department and the applicant theirs', async () => {
    const code = (await tenant('GET', `/api/cases/${applicationId}`)).json().progressCode as string;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect((await departmentReviewer('GET', `/api/cases/${applicationId}`)).json().progressCode).toBe(code);
    const seen = await cacReviewer('GET', `/api/cases/${applicationId}`);
    expect(seen.json()).not.toHaveProperty('progressCode');
    expect(seen.body).not.toContain(code);
  });
});
