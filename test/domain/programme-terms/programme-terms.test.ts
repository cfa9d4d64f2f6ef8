import { describe, expect, it } from 'vitest';
import { applicationTermsOf, isApplicationProgramme, programmeOfTerms } from '../../../domain/applications/terms.js';
import type { Actor } from '../../../domain/cases/actor.js';
import { CATALOGUE_VERSION, findProgramme } from '../../../domain/programmes/catalogue.js';
import { checkApplication } from '../../../domain/programmes/check.js';
import type { Programme } from '../../../domain/programmes/programme.js';
import { codeTermsOf, type PublishedTerms } from '../../../domain/programme-terms/published-terms.js';
import { currentMatrix, decideStackingMatrix, evolveStackingMatrix, initialStackingMatrixState, type StackingCommand, type StackingMatrixState } from '../../../domain/programme-terms/stacking-matrix.js';
import { decideTerms, evolveTerms, initialTermsState, versionInForce, type TermsCommand, type TermsEvent, type TermsState } from '../../../domain/programme-terms/terms-versions.js';
import { PROGRAMMES } from '../../../domain/programmes/catalogue.js';
import { DEFAULT_STEP_TIME_LIMITS } from '../../../domain/time-limits/step-time-limit.js';
import { parseLocalDate, type LocalDate } from '../../../domain/time/local-date.js';
import { outcome } from '../../support/decider-spec.js';

const drafter: Actor = { accountId: 'a-xh-1', displayName: '冯评审', role: 'official', department: 'xuhui' };
const approver: Actor = { accountId: 'a-xh-2', displayName: '褚审批', role: 'official', department: 'xuhui' };
const hrss: Actor = { accountId: 'a-hr', displayName: '韩人社', role: 'official', department: 'hrss' };
const applicant: Actor = { accountId: 'a-ap', displayName: '星河传媒', role: 'applicant' };
// 2026-12-02 10:00 in Shanghai.
const NOW = Date.parse('2026-12-02T02:00:00Z');
const AT = new Date(NOW).toISOString();
const d = (text: string): LocalDate => parseLocalDate(text);

const ipLibrary = findProgramme('xuhui-ip-library')!;
const baseTerms = codeTermsOf(ipLibrary, DEFAULT_STEP_TIME_LIMITS);
const lowerCap: PublishedTerms = { ...baseTerms, amount: { kind: 'cap', capFen: 200_000_000 } };
const draft = (effectiveFrom = '2026-12-03', terms = lowerCap): TermsCommand => ({ type: 'DraftTerms', terms, effectiveFrom: d(effectiveFrom), reason: '预算调整' });

/** Given these events of a measure's terms, when an actor decides a command: the events, or the refusal. */
function given(history: readonly TermsEvent[], programme: Programme = ipLibrary) {
  const state: TermsState = history.reduce(evolveTerms, initialTermsState(programme.id));
  return { state, when: (command: TermsCommand, actor: Actor, now = NOW) => outcome(() => decideTerms(state, command, { actor, now, programme })) };
}

const drafted: TermsEvent = {
  type: 'ProgrammeTermsDrafted',
  data: { programmeId: 'xuhui-ip-library', version: 1, terms: lowerCap, effectiveFrom: d('2026-12-03'), by: { accountId: 'a-xh-1', displayName: '冯评审', department: 'xuhui' }, reason: '预算调整', at: AT },
};
const approved: TermsEvent = { type: 'ProgrammeTermsApproved', data: { programmeId: 'xuhui-ip-library', version: 1, effectiveFrom: d('2026-12-03'), by: { accountId: 'a-xh-2', displayName: '褚审批', department: 'xuhui' }, note: '同意', at: AT } };

describe('programme terms versions: draft, four-eyes approval, effective date', () => {
  it('given no version, when an officer of the department drafts one, then version 1 is drafted with who and why', () => {
    given([]).when(draft(), drafter).then([drafted]);
  });

  it('given a draft, when its drafter approves it, then it is refused (four-eyes); when a second officer does, then it is approved', () => {
    given([drafted]).when({ type: 'ApproveTerms', version: 1, note: '' }, drafter).thenThrows('forbidden', '双人复核');
    given([drafted]).when({ type: 'ApproveTerms', version: 1, note: '同意' }, approver).then([approved]);
  });

  it('refuses a draft by anyone but an official of the measure’s department', () => {
    given([]).when(draft(), hrss).thenThrows('forbidden', '徐汇区的工作人员');
    given([]).when(draft(), applicant).thenThrows('forbidden');
  });

  it('refuses an effective date in the past, at the draft and again at the approval', () => {
    given([]).when(draft('2026-12-01'), drafter).thenThrows('validation', '不能早于今天');
    given([drafted]).when({ type: 'ApproveTerms', version: 1, note: '' }, approver, Date.parse('2026-12-04T02:00:00Z')).thenThrows('validation', '已过');
  });

  it('changes parameters, never the formula: a new kind, a zero cap or a decision limit beyond Art. 42 are refused with the field named', () => {
    const refused = given([]).when(draft('2026-12-03', { ...baseTerms, amount: { kind: 'fixed', amountFen: 1 } }), drafter).thenThrows('validation');
    expect(refused.issues).toEqual([{ field: 'amount.kind', message: '金额规则的计算方式不能改变，只能调整其中的金额、比例或期限' }]);
    expect(given([]).when(draft('2026-12-03', { ...baseTerms, amount: { kind: 'cap', capFen: 0 } }), drafter).thenThrows('validation').issues[0]!.field).toBe('amount.capFen');
    expect(given([]).when(draft('2026-12-03', { ...baseTerms, timeLimits: { contentReviewWorkingDays: 10, decisionWorkingDays: 30 } }), drafter).thenThrows('validation').message).toContain('第四十二条');
  });

  it('holds every number to the source documents: a cap, share or period may be lowered, never raised; a minimum age raised, never lowered', () => {
    // 徐汇 IP library: ≤ 3,000,000 (DOMAIN.md, 徐汇).
    const raised = given([]).when(draft('2026-12-03', { ...baseTerms, amount: { kind: 'cap', capFen: 300_000_001 } }), drafter).thenThrows('validation');
    expect(raised.issues).toEqual([{ field: 'amount.capFen', message: '最高额不能高于政策文件规定的 3,000,000.00 元（可以调低，不能调高）' }]);
    expect(given([]).when(draft('2026-12-03', { ...baseTerms, amount: { kind: 'cap', capFen: 300_000_000 } }), drafter).events().map((e) => e.type)).toEqual(['ProgrammeTermsDrafted']);
    // AI agent projects: ≤ 20% of R&D, ≤ 10,000,000.
    const agent = findProgramme('drama-agent-project')!;
    const agentTerms = codeTermsOf(agent, DEFAULT_STEP_TIME_LIMITS);
    const culture: Actor = { accountId: 'a-wl-1', displayName: '文评审', role: 'official', department: agent.department };
    const share = given([], agent).when(draft('2026-12-03', { ...agentTerms, amount: { ...agentTerms.amount, shareBasisPoints: 2_500 } as PublishedTerms['amount'] }), culture).thenThrows('validation');
    expect(share.issues).toEqual([{ field: 'amount.shareBasisPoints', message: '比例不能高于政策文件规定的 20%（可以调低，不能调高）' }]);
    // YOUNG人才公寓: ≤ 5 days a stay, ≤ 2 stays a year; 全媒体运营师: 年满 16 周岁.
    const apartment = findProgramme('yangpu-talent-apartment')!;
    const yangpu: Actor = { accountId: 'a-yp-1', displayName: '杨评审', role: 'official', department: apartment.department };
    const apartmentTerms = codeTermsOf(apartment, DEFAULT_STEP_TIME_LIMITS);
    const longer = given([], apartment).when(draft('2026-12-03', { ...apartmentTerms, conditions: { maxStayDays: 6, maxStaysPerYear: 2 } }), yangpu).thenThrows('validation');
    expect(longer.issues.map((i) => i.field)).toEqual(['conditions.maxStayDays']);
    expect(given([], apartment).when(draft('2026-12-03', { ...apartmentTerms, conditions: { maxStayDays: 3, maxStaysPerYear: 1 } }), yangpu).events().map((e) => e.type)).toEqual(['ProgrammeTermsDrafted']);
    const operator = findProgramme('hu9-all-media-operator-certification')!;
    const hrssTerms = codeTermsOf(operator, DEFAULT_STEP_TIME_LIMITS);
    const officer: Actor = { accountId: 'a-op-1', displayName: '某评审', role: 'official', department: operator.department };
    expect(given([], operator).when(draft('2026-12-03', { ...hrssTerms, conditions: { minimumAge: 15 } }), officer).thenThrows('validation').issues[0]!.message).toContain('不能低于政策文件规定的 16');
    expect(given([], operator).when(draft('2026-12-03', { ...hrssTerms, conditions: { minimumAge: 18 } }), officer).events().map((e) => e.type)).toEqual(['ProgrammeTermsDrafted']);
  });

  it('names every problem of a draft at once, the effective date’s among them (一次告知)', () => {
    const refused = given([]).when(draft('2026-12-01', { ...baseTerms, amount: { kind: 'cap', capFen: 300_000_001 } }), drafter).thenThrows('validation');
    expect(refused.issues.map((i) => i.field)).toEqual(['amount.capFen', 'effectiveFrom']);
    expect(refused.message).toContain('生效日期 2026-12-01 已过');
  });

  it('keeps one draft at a time, and a rejected draft never takes effect', () => {
    given([drafted]).when(draft(), drafter).thenThrows('illegal-state', '尚待批准');
    const rejected = given([drafted]).when({ type: 'RejectTerms', version: 1, reason: '依据不足' }, approver).events();
    const state = [drafted, ...rejected].reduce(evolveTerms, initialTermsState('xuhui-ip-library'));
    expect(versionInForce(state.versions, d('2027-01-01'))).toBeUndefined();
  });

  it('applies an approved version from its effective date: the day before, the code catalogue (version 0)', () => {
    const { versions } = [drafted, approved].reduce(evolveTerms, initialTermsState('xuhui-ip-library'));
    expect(versionInForce(versions, d('2026-12-02'))).toBeUndefined();
    expect(versionInForce(versions, d('2026-12-03'))).toMatchObject({ version: 1 });
  });

  it('snapshots the version into the case’s terms, whose measure then refuses above the new cap', () => {
    expect(isApplicationProgramme(ipLibrary)).toBe(true);
    if (!isApplicationProgramme(ipLibrary)) return;
    const terms = applicationTermsOf(ipLibrary, CATALOGUE_VERSION, {
      published: { version: 1, effectiveFrom: d('2026-12-03'), draftedBy: '冯评审', approvedBy: '褚审批', ...lowerCap },
    });
    expect(terms).toMatchObject({ amount: { kind: 'cap', capFen: 200_000_000 }, termsVersion: { version: 1, approvedBy: '褚审批' } });
    const facts = { applicantKind: 'company' as const, requestedAmountFen: 250_000_000, itemId: 'ip-1', registeredDistrict: '徐汇区' };
    expect(checkApplication(programmeOfTerms(terms)!, facts, { on: d('2026-12-03') }).violations.map((v) => v.rule)).toEqual(['amount-cap']);
    // A case opened before keeps the code catalogue's cap.
    expect(checkApplication(programmeOfTerms(applicationTermsOf(ipLibrary, CATALOGUE_VERSION))!, facts, { on: d('2026-12-03') }).eligible).toBe(true);
  });

  it('sets a condition’s parameter where the catalogue has one (全媒体运营师: minimum age)', () => {
    const certification = findProgramme('hu9-all-media-operator-certification')!;
    const older: PublishedTerms = { ...codeTermsOf(certification, DEFAULT_STEP_TIME_LIMITS), conditions: { minimumAge: 18 } };
    given([], certification).when(draft('2026-12-03', older), { ...drafter, department: 'hrss' }).events();
    if (!isApplicationProgramme(certification)) return;
    const terms = applicationTermsOf(certification, CATALOGUE_VERSION, { published: { version: 1, effectiveFrom: d('2026-12-03'), draftedBy: 'x', approvedBy: 'y', ...older } });
    expect(checkApplication(programmeOfTerms(terms)!, { applicantKind: 'individual-creator', age: 17 }, { on: d('2026-12-03') }).violations.map((v) => v.rule)).toEqual(['minimum-age']);
  });
});

describe('the stacking matrix the office sets', () => {
  const culture: Actor = { accountId: 'a-ct-1', displayName: '陈文旅', role: 'official', department: 'culture-tourism' };
  const cultureApprover: Actor = { accountId: 'a-ct-2', displayName: '蒋审批', role: 'official', department: 'culture-tourism' };
  const between = [{ programmeId: 'drama-national-selection' }, { programmeId: 'drama-excellent-project' }] as const;
  const propose: StackingCommand = { type: 'ProposeStackingChange', changeId: 'SC-1', between, verdict: 'do-not-stack', reason: '同一作品只奖励一次' };
  const run = (state: StackingMatrixState, command: StackingCommand, actor: Actor) => decideStackingMatrix(state, command, { actor, now: NOW, programmes: PROGRAMMES }).reduce(evolveStackingMatrix, state);

  it('is seeded with only what the sources say (002 Q5)', () => {
    expect(currentMatrix(initialStackingMatrixState, PROGRAMMES)).toMatchObject({ matrixVersion: 0, entries: [{ source: '002 Q5' }, { source: '002 Q5' }, { source: '002 Q5' }] });
  });

  it('given a proposal, when its proposer approves it, then it is refused; when a second officer does, the pair’s verdict is in the matrix, ahead of family entries', () => {
    const proposed = run(initialStackingMatrixState, propose, culture);
    outcome(() => decideStackingMatrix(proposed, { type: 'ApproveStackingChange', changeId: 'SC-1', note: '' }, { actor: culture, now: NOW, programmes: PROGRAMMES })).thenThrows('forbidden', '双人复核');
    const decided = run(proposed, { type: 'ApproveStackingChange', changeId: 'SC-1', note: '同意' }, cultureApprover);
    const matrix = currentMatrix(decided, PROGRAMMES);
    expect(matrix.matrixVersion).toBe(1);
    expect(matrix.entries[0]).toMatchObject({ between, verdict: 'do-not-stack' });
  });

  it('is changed only by a department concerned, and "unspecified" takes a pair out', () => {
    outcome(() => decideStackingMatrix(initialStackingMatrixState, propose, { actor: hrss, now: NOW, programmes: PROGRAMMES })).thenThrows('forbidden', '市文旅局');
    const hu9Yangpu: StackingCommand = { type: 'ProposeStackingChange', changeId: 'SC-2', between: [{ family: 'hu9' }, { family: 'yangpu' }], verdict: 'unspecified', reason: '待市区两级明确' };
    const yangpu: Actor = { accountId: 'a-yp', displayName: '孙评审', role: 'official', department: 'yangpu-investment' };
    // The city measures' side agrees to it: an officer of 市委网信办, whose measures are among them.
    const cac: Actor = { accountId: 'a-cac', displayName: '周网信', role: 'official', department: 'cac' };
    const state = run(run(initialStackingMatrixState, hu9Yangpu, yangpu), { type: 'ApproveStackingChange', changeId: 'SC-2', note: '' }, cac);
    expect(currentMatrix(state, PROGRAMMES).entries).toHaveLength(2);
  });

  it('given a pair of two departments’ measures proposed by one, when a second officer of the same department approves, then it is refused: the other department agrees to it', () => {
    // An outsider's 徐汇 reviewer and approver made 市文旅局's AI 智能体项目 not stack with a 徐汇 measure, without 市文旅局.
    const pair: StackingCommand = { type: 'ProposeStackingChange', changeId: 'SC-3', between: [{ programmeId: 'drama-agent-project' }, { programmeId: 'xuhui-ai-skill-library' }], verdict: 'do-not-stack', reason: '同一智能体项目只资助一次' };
    const xuhui: Actor = { accountId: 'a-xh-1', displayName: '冯评审', role: 'official', department: 'xuhui' };
    const xuhuiApprover: Actor = { accountId: 'a-xh-2', displayName: '褚审批', role: 'official', department: 'xuhui' };
    const proposed = run(initialStackingMatrixState, pair, xuhui);
    outcome(() => decideStackingMatrix(proposed, { type: 'ApproveStackingChange', changeId: 'SC-3', note: '' }, { actor: xuhuiApprover, now: NOW, programmes: PROGRAMMES })).thenThrows(
      'forbidden',
      '这项变更涉及市文旅局、徐汇区的政策，由徐汇区提出：须由市文旅局的工作人员批准。',
    );
    const agreed = run(proposed, { type: 'ApproveStackingChange', changeId: 'SC-3', note: '同意' }, cultureApprover);
    // The basis an applicant's refusal cites names the departments that agreed it, not their staff.
    expect(currentMatrix(agreed, PROGRAMMES).entries[0]).toMatchObject({ verdict: 'do-not-stack', source: '叠加规则变更第 1 号（徐汇区提出，市文旅局批准）' });
  });
});
