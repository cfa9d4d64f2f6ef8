import { get, post } from '../api.js';
import { overviewValue } from './overview.js';
import { joinClauses } from '../../../domain/cases/clauses.js';
import { countingFor, deadlineTermOf, type Counting } from '../../../domain/time/deadline-counting.js';
import type { CaseEvent, CaseView, Instalment, RepaymentDeclaration } from '../case-model.js';
import { h, mount } from '../dom.js';
import { caseTypes } from '../case-types.js';
import { eventTitle, eventWhy } from '../events-text.js';
import { flash, takeFlash } from '../flash.js';
import { apiForm, field, valueOf } from '../forms.js';
import { APPLICANT_KINDS, FACTS } from '../facts.js';
import { dateTag, dateTimeTag } from '../date-tags.js';
import { dateInWords, dateTimeInWords, isoDatesInWords, money, shanghaiDate, sizeInWords, todayInShanghai, type Countdown } from '../format.js';
import { cameFrom, refresh } from '../nav.js';
import { waitingForWho, whoTookIt } from '../who.js';
import type { SignedInAccount } from '../session.js';
import { countdownBadge, PROVISIONAL_DAY_NOTE } from '../worklist.js';
import { numberLabel } from './apply-filing.js';
import { caseActions, openingsCard } from './case-actions.js';
import { callDetailPage, type CallCaseView } from './call-detail.js';

interface RatingView {
  rating: { score: number; comment: string; ratedBy: string; ratedAt: string; departmentName: string | null } | null;
  followUp: { status: string; departmentName: string | null; reason: string; note: string | null; closedBy: string | null } | null;
}

export async function caseDetailPage(main: HTMLElement, params: string[], account: SignedInAccount | undefined): Promise<void> {
  const caseId = params[0]!;
  // The case types' labels too: the timeline names the events of every type by them.
  // An expert reads the case but not its events (api/authorization/permissions.ts): their page has no timeline.
  const eventsOf = get<{ events: CaseEvent[] }>(`/api/cases/${caseId}/events`).then((r) => r.events, (error: unknown) => (account?.role === 'expert' ? null : Promise.reject(error)));
  const [c, events] = await Promise.all([get<CaseView>(`/api/cases/${caseId}`), eventsOf, caseTypes()]);
  // A call (申报批次) has a page of its own: budget ledger, panel, scoring, ranking and the batch approval.
  if (c.caseType === 'call') return callDetailPage(main, c as CallCaseView, events, account!, events ? timeline(events) : null);
  const dueOn = c.deadline?.dueOn ?? c.deadline?.lastWorkingDay;
  const ended = c.finished;
  const [countdown, rating, letters, documents] = await Promise.all([
    dueOn ? countdownOf(dueOn, countingFor(c.waitingFor?.role, c.deadline?.kind)) : Promise.resolve(null),
    ended ? get<RatingView>(`/api/cases/${caseId}/rating`) : Promise.resolve(null),
    // The written decisions are beside the case, not part of it: the page stands without them.
    get<{ letters: DecisionLetter[] }>(`/api/cases/${caseId}/decision-letters`).then((r) => r.letters, () => []),
    // The files its events reference; an expert (who reads no events) gets none, and the page stands without them.
    get<{ documents: CaseDocument[] }>(`/api/cases/${caseId}/documents`).then((r) => r.documents, () => []),
  ]);
  if (countdown && countdown.counting !== 'payout-date' && c.deadline?.provisional) countdown.provisional = true;
  const me = account!;
  // The tab and the history say which case: its number first, so tabs of several cases tell apart.
  document.title = [`${numberLabel(c.caseType)} ${c.referenceNo}`, c.programme?.zh, '优创'].filter(Boolean).join(' · ');
  const actions = caseActions(c, me);
  mount(
    main,
    backLink(me),
    h('h1', {}, h('span', { class: 'muted small block' }, c.programme?.zh ?? c.caseType), `${numberLabel(c.caseType)} ${c.referenceNo}`),
    takeFlash(),
    progressCard(c, countdown, me),
    stackingCard(c),
    factConflictsCard(c),
    repaymentDeclarationsCard(c, me),
    // Where the decision is taken, the official reads what the applicant already holds first.
    me.role === 'official' ? awardsCard(c, me) : null,
    actions.main,
    openingsCard(c),
    me.role === 'auditor' ? h('p', { class: 'card' }, '审计账号只读。', h('a', { href: `#/audit/${c.caseId}` }, '打开审计视图（哈希校验、任意时点状态、差异、导出）')) : null,
    ended && rating ? ratingSection(c, rating, me) : null,
    factsCard(c, me),
    me.role === 'official' ? null : awardsCard(c, me),
    factChecksCard(c),
    objectionsCard(c),
    letters.length ? decisionLettersCard(letters, me) : null,
    documents.length ? documentsCard(documents, me) : null,
    actions.folded,
    c.schedule && c.schedule.length ? scheduleSection(c) : null,
    events ? timeline(events) : null,
  );
}

/**
 * How long is left until the case's next date: asked of the API for a time limit or a period; a
 * payout's day is a date by the award's schedule, which nothing counts down to (and no 暂定 moves).
 */
function countdownOf(dueOn: string, counting: Counting): Promise<Countdown> {
  if (counting === 'payout-date') {
    return Promise.resolve({ counting, today: todayInShanghai(), dueOn, workingDaysLeft: 0, calendarDaysLeft: 0, breached: false, workingDaysOverdue: 0, calendarDaysOverdue: 0, provisional: false });
  }
  return get<Countdown>(`/api/working-days/countdown?dueOn=${dueOn}&counting=${counting}`);
}

/** Back to the list the case was opened from (its search and page too), or to the role's own list. */
function backLink(me: SignedInAccount): HTMLElement {
  const from = cameFrom();
  const [href, text] = from ? [from.href, from.text] : me.role === 'official' ? ['#/queue', '待办队列'] : me.role === 'auditor' ? ['#/audit', '审计查询'] : ['#/cases', '我的办件'];
  return h('p', { class: 'breadcrumb' }, h('a', { href }, `← ${text}`));
}

function progressCard(c: CaseView, countdown: Countdown | null, me: SignedInAccount): HTMLElement {
  const who = waitingForWho(c, me);
  return h(
    'section',
    { class: 'card progress', 'aria-labelledby': 'progress-h' },
    h('h2', { id: 'progress-h' }, '办理进度'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '当前环节'),
      h('dd', {}, h('span', { class: `status status-${c.status}` }, c.statusLabel)),
      h('dt', {}, '下一步由谁办理'),
      h('dd', {}, who, c.waitingFor?.note ? h('span', { class: 'muted block' }, isoDatesInWords(c.waitingFor.note)) : null),
      // What the date is, as 办件进度查询 says it: a borrower's instalment had read as the fund's time limit while it checked a report.
      h('dt', {}, deadlineTermOf(c.deadline?.kind)),
      h('dd', {}, countdown ? countdownBadge(countdown) : '—', countdown?.provisional ? h('span', { class: 'muted block small' }, PROVISIONAL_DAY_NOTE) : null),
      c.closingReasons?.length ? [h('dt', {}, '办结原因'), h('dd', {}, isoDatesInWords(joinClauses(c.closingReasons)))] : null,
      c.reasons?.length ? [h('dt', {}, '审查意见'), h('dd', {}, isoDatesInWords(joinClauses(c.reasons)))] : null,
    ),
  );
}

/** What the case is, in words its module gives (`overview`): no table of case types here. */
function factsCard(c: CaseView, me: SignedInAccount): HTMLElement {
  const terms = termsOpenedUnderLine(c, me);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'facts-h' },
    h('h2', { id: 'facts-h' }, '申请信息'),
    h(
      'dl',
      { class: 'facts' },
      ...(c.overview ?? []).flatMap((line) => [h('dt', {}, line.label), h('dd', {}, overviewValue(c, line.value))]),
      ...(terms ? [h('dt', {}, terms.label), h('dd', { 'data-terms-version': String(terms.version) }, terms.text)] : []),
      ...reviewerLine(c, me),
      h('dt', {}, c.caseType === 'recovery' ? '立案时间' : '提交时间'),
      h('dd', {}, dateTimeTag(c.openedAt)),
    ),
  );
}

/** Who has claimed the filing's open round (staff only): the case page's 认领 card is gone once it is claimed by the reader. */
function reviewerLine(c: CaseView, me: SignedInAccount): HTMLElement[] {
  if (me.role !== 'official' && me.role !== 'auditor') return [];
  const round = c.rounds?.at(-1);
  if (!round?.reviewer || round.endedAt) return [];
  const mine = round.reviewer.accountId === me.accountId;
  // The supervising official's claim is named as theirs: colleagues are not left to ask for a take-over.
  const who = round.reviewerDuty === 'supervisor' ? `分管领导 ${round.reviewer.displayName}` : round.reviewer.displayName;
  return [h('dt', {}, '审查人'), h('dd', { 'data-reviewer': mine ? 'me' : 'other' }, mine ? `您（${who}）已认领` : `${who} 已认领`)];
}


/** GET /api/cases/:caseId of an application: the version of the programme's terms it opened under (0: the catalogue's own). */
interface TermsOpenedUnder {
  programmeId: string;
  catalogueVersion: string;
  version: number;
  effectiveFrom: string | null;
}

/**
 * Which terms the case is decided under, for life: a version the office published later does not
 * change them. Officials may open the terms' page (its versions and who approved them).
 */
function termsOpenedUnderLine(c: CaseView, me: SignedInAccount): { label: string; version: number; text: HTMLElement | string } | null {
  const terms = (c as CaseView & { termsOpenedUnder?: TermsOpenedUnder }).termsOpenedUnder;
  if (!terms) return null;
  // The applicant is told only what matters to them, in their words: the rules in force when they applied hold, whatever changes later.
  // Under the catalogue as published (no version yet) there is nothing to tell them: the line is the officials'.
  if (me.role === 'applicant') {
    return terms.version > 0 && terms.effectiveFrom
      ? { label: '适用规则', version: terms.version, text: `按申请时施行的规则办理（${dateInWords(terms.effectiveFrom)}起施行）；此后的调整不影响您的申请` }
      : null;
  }
  const words =
    terms.version > 0 && terms.effectiveFrom
      ? `第 ${terms.version} 版（${dateInWords(terms.effectiveFrom)}起施行）`
      : '政策目录原文（申请时尚未调整）';
  return { label: '适用条款', version: terms.version, text: me.role === 'official' ? h('a', { href: `#/programme-terms/${terms.programmeId}` }, words) : words };
}

/** One fact of an application and where it stands (issue 14): answered by a register, verified by an official, or the applicant's claim. */
interface FactCheck {
  fact: string;
  label: string;
  value: unknown;
  status: 'register' | 'verified' | 'claimed';
  by: string | null;
  against: string | null;
  at: string | null;
  registerAnswered: boolean;
  /** What to look at before verifying it: a 注册区 the credit code's registering authority contradicts. */
  note?: string;
}

const FACT_BADGES: Record<FactCheck['status'], { text: string; tone: string }> = {
  register: { text: '已核验（登记名录）', tone: 'ok' },
  verified: { text: '已核验', tone: 'ok' },
  claimed: { text: '申请人声明', tone: 'warn' },
};

/** A fact's value in words, by the kind of field the apply form asks it with: 元 for money, % for rates, the applicant kind by its name. */
function factValue(fact: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  const kind = FACTS[fact]?.kind;
  if (kind === 'kind') return APPLICANT_KINDS.find((k) => k.value === value)?.label ?? String(value);
  if (kind === 'fen' && typeof value === 'number') return money(value);
  if (kind === 'date' && typeof value === 'string') return isoDatesInWords(value);
  if (kind === 'basis-points' && typeof value === 'number') return `${value / 100}%`;
  return String(value);
}

/**
 * What the ledger leaves to the officials before they decide, above the actions where the decision
 * is taken: 叠加资助待审核 (the item already funded under a measure the sources say nothing of
 * stacking with) and 申报内容不一致 (what this application states otherwise than another decided
 * one of the same item: the interest paid on one loan).
 */
function stackingCard(c: CaseView): HTMLElement | null {
  const notes = (c as CaseView & { stackingNotes?: string[] }).stackingNotes;
  return ledgerNotesCard('stacking', '叠加资助待审核', notes, { 'data-stacking-notes': String(notes?.length ?? 0) }, '政策未规定两项措施能否叠加资助同一事项：请核实后再作决定，并在决定意见中写明理由。');
}

function factConflictsCard(c: CaseView): HTMLElement | null {
  const conflicts = (c as CaseView & { factConflicts?: string[] }).factConflicts;
  return ledgerNotesCard('conflicts', '申报内容不一致', conflicts, { 'data-fact-conflicts': String(conflicts?.length ?? 0) });
}

function ledgerNotesCard(id: string, title: string, notes: string[] | undefined, attrs: Record<string, string>, footer?: string): HTMLElement | null {
  if (!notes || notes.length === 0) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `${id}-h`, ...attrs },
    h('h2', { id: `${id}-h` }, title),
    ...notes.map((note) => h('p', { class: 'constraint' }, isoDatesInWords(note))),
    footer ? h('p', { class: 'muted small' }, footer) : null,
  );
}

/** An award of the applicant's, as GET /api/cases/:caseId gives it (api/views/application.view.ts). */
interface ApplicantAward {
  awardId: string;
  caseId: string;
  programme: { zh: string };
  item: string;
  amountFen: number;
  awardedOn: string;
  recoveredFen: number;
  writtenOffFen: number;
  /** Not yet final: on 公示 (公示中) or with objections waiting (异议待答复). */
  publicity?: { status: string; label: string; lastWorkingDay: string | null } | null;
  /** Stopped before its first payment (已停止，未发放): nobody will pay it. */
  stopped?: { label: string; stoppedAt: string } | null;
}

interface ApplicantAwards {
  /** The final grants. */
  totalFen: number;
  count: number;
  /** The grants not yet final, totalled apart. */
  onNoticeTotalFen?: number;
  onNoticeCount?: number;
  /** The grants stopped before their first payment: listed, counted nowhere. */
  stoppedUnpaidCount?: number;
  awards: ApplicantAward[];
  loanTotalFen: number;
  loans: ApplicantAward[];
}

/** The case types that decide money for their applicant: where what they already hold matters. */
const AWARDING_CASE_TYPES = ['application', 'chuying-loan'];

/**
 * 已获资助: every grant the applicant already holds across programmes, with the total of the final
 * ones; those still 公示中 or 异议待答复 marked so and totalled apart (not yet final: an objection may
 * lower or withdraw them); those stopped before their first payment marked 已停止，未发放 and counted
 * nowhere (nobody will pay them); and apart from them all their 雏鹰 loans (lent, to be repaid). The officials of the case read it above the actions
 * (an outsider's approver, shown only the bare yearly cap, approved a company's second 30,000,000.00
 * and was refused only after sending); the applicant reads their own; an expert scores the
 * application and is not shown it.
 */
function awardsCard(c: CaseView, me: SignedInAccount): HTMLElement | null {
  const held = (c as CaseView & { applicantAwards?: ApplicantAwards }).applicantAwards;
  if (!held || !AWARDING_CASE_TYPES.includes(c.caseType) || !['official', 'auditor', 'applicant'].includes(me.role)) return null;
  const whose = me.role === 'applicant' ? '您' : '申请人';
  const loans = held.loans ?? [];
  const onNoticeCount = held.onNoticeCount ?? 0;
  const stoppedCount = held.stoppedUnpaidCount ?? 0;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'awards-h', 'data-applicant-awards': String(held.count) },
    h('h2', { id: 'awards-h' }, '已获资助'),
    held.awards.length === 0
      ? h('p', { class: 'muted' }, `${whose}尚未获得任何资助。`)
      : [
          held.count === 0
            ? h('p', { 'data-awards-total': '0' }, `${whose}${onNoticeCount === 0 ? '尚未获得任何资助' : '尚无已确定的资助'}${loans.length ? '（借款另列）' : ''}`)
            : h('p', { 'data-awards-total': String(held.totalFen) }, `${whose}已获资助合计 `, h('strong', {}, money(held.totalFen)), `（共 ${held.count} 项${loans.length ? '，借款另列' : ''}）`),
          onNoticeCount === 0
            ? null
            : h(
                'p',
                { 'data-awards-on-notice': String(held.onNoticeTotalFen ?? 0) },
                `公示中或异议待答复 ${onNoticeCount} 项，合计 `,
                h('strong', {}, money(held.onNoticeTotalFen ?? 0)),
                '，尚未确定，未计入已获资助合计（公示期满且无待答复的异议后方为确定）。',
                me.role === 'applicant' ? null : '审批新的申请时，仍按已批准的金额计入每年最高额和不重复资助的核算。',
              ),
          // Stopped before the first payment: nobody will pay it, so it is not support received.
          stoppedCount === 0 ? null : h('p', { 'data-awards-stopped': String(stoppedCount) }, `另有 ${stoppedCount} 项已停止，未发放，不计入已获资助合计。`),
          awardsTable(c, held.awards, true),
        ],
    loans.length === 0
      ? null
      : h(
          'div',
          { class: 'applicant-loans', 'data-applicant-loans': String(loans.length) },
          h('h3', {}, '借款（须按期归还，不计入资助合计）'),
          h('p', { 'data-loans-total': String(held.loanTotalFen) }, '借款合计 ', h('strong', {}, money(held.loanTotalFen))),
          awardsTable(c, loans, false),
        ),
  );
}

/** The grants (or the loans) as a table: measure, item, amount, date and, for a grant, what was recovered from it. */
function awardsTable(c: CaseView, awards: readonly ApplicantAward[], grants: boolean): HTMLElement {
  const columns = ['措施', '事项', '金额', grants ? '获资助日期' : '批准日期', ...(grants ? ['已追回'] : [])];
  return h(
    'table',
    { class: 'table applicant-awards' },
    h('thead', {}, h('tr', {}, ...columns.map((label) => h('th', {}, label)))),
    h(
      'tbody',
      {},
      ...awards.map((a) =>
        h(
          'tr',
          { 'data-award': a.awardId },
          h('td', { 'data-label': columns[0]! }, a.programme.zh, a.caseId === c.caseId ? h('span', { class: 'muted' }, '（本案）') : null),
          h('td', { 'data-label': columns[1]! }, a.item),
          h('td', { 'data-label': columns[2]! }, money(a.amountFen)),
          h('td', { 'data-label': columns[3]! }, awardedInWords(a)),
          grants ? h('td', { 'data-label': columns[4]! }, recoveredInWords(a)) : null,
        ),
      ),
    ),
  );
}

/**
 * The day of an award, or why it has none yet: 公示中 or 异议待答复 (尚未确定) in place of it, and for
 * one stopped before its first payment 已停止，未发放 with the days it was approved and stopped.
 */
function awardedInWords(a: ApplicantAward): HTMLElement | string {
  if (a.stopped) {
    return h('span', {}, h('span', { class: 'badge', 'data-award-stopped': 'unpaid' }, a.stopped.label), `（${dateInWords(a.awardedOn)}批准，${dateInWords(shanghaiDate(a.stopped.stoppedAt))}停止发放）`);
  }
  if (a.publicity) {
    return h(
      'span',
      {},
      h('span', { class: 'badge warn', 'data-award-publicity': a.publicity.status }, a.publicity.label),
      ` 尚未确定（${dateInWords(a.awardedOn)}批准${a.publicity.lastWorkingDay ? `，公示至${dateInWords(a.publicity.lastWorkingDay)}` : ''}）`,
    );
  }
  return dateInWords(a.awardedOn);
}

function recoveredInWords(a: ApplicantAward): string {
  if (a.recoveredFen === 0 && a.writtenOffFen === 0) return '—';
  return [a.recoveredFen > 0 ? money(a.recoveredFen) : '', a.writtenOffFen > 0 ? `核销 ${money(a.writtenOffFen)}` : ''].filter(Boolean).join('，');
}

/** Each fact with its badge: 已核验 (by whom, against what) or 申请人声明; a register's answer replaced what was typed. */
function factChecksCard(c: CaseView): HTMLElement | null {
  const checks = (c as CaseView & { factChecks?: FactCheck[] }).factChecks;
  if (!checks || checks.length === 0) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'fact-checks-h' },
    h('h2', { id: 'fact-checks-h' }, '事实核验'),
    h('p', { class: 'muted small' }, '登记名录能回答的事实按名录核对（申请人填写的内容不作依据）；其余为申请人声明，须经审查人员核验后才能据以决定资助。'),
    h(
      'table',
      { class: 'table fact-checks' },
      h('thead', {}, h('tr', {}, h('th', {}, '事实'), h('th', {}, '内容'), h('th', {}, '核验情况'), h('th', {}, '核验人 / 依据'))),
      h(
        'tbody',
        {},
        ...checks.map((f) =>
          h(
            'tr',
            { 'data-fact': f.fact },
            h('td', { 'data-label': '事实' }, f.label),
            h('td', { 'data-label': '内容' }, factValue(f.fact, f.value), f.note ? h('p', { class: 'constraint', 'data-fact-note': f.fact }, f.note) : null),
            h('td', { 'data-label': '核验情况' }, h('span', { class: `badge ${FACT_BADGES[f.status].tone}` }, FACT_BADGES[f.status].text)),
            h('td', { 'data-label': '核验人 / 依据' }, f.status === 'claimed' ? '待核验' : `${f.by ?? ''}：${isoDatesInWords(f.against ?? '')}${f.at ? `（${f.status === 'register' ? `截至 ${isoDatesInWords(f.at)}` : dateTimeInWords(f.at)}）` : ''}`),
          ),
        ),
      ),
    ),
  );
}

/** An objection lodged during the award's 公示, as the case page has it (the objector is never named). */
interface ObjectionView {
  objectionId: string;
  reasons: string;
  lodgedAt: string;
  answer: { outcome: 'upheld' | 'dismissed' | 'closed-with-award'; by: string; text: string; answeredAt: string } | null;
}

const OBJECTION_OUTCOMES: Record<NonNullable<ObjectionView['answer']>['outcome'], { text: string; tone: string }> = {
  upheld: { text: '异议成立', tone: 'tag tag-danger' },
  dismissed: { text: '异议不成立', tone: 'tag' },
  'closed-with-award': { text: '随资助撤销办结', tone: 'tag' },
};

/**
 * 公示异议: what was objected to and how it was answered. The applicant whose award an objection
 * withdrew or reduced read only 收到异议 and 异议成立 in the timeline, without the reasons or the answer.
 */
function objectionsCard(c: CaseView): HTMLElement | null {
  const objections = (c as CaseView & { objections?: ObjectionView[] }).objections;
  if (!objections || objections.length === 0) return null;
  // Only the department that answers the objections is sent the contacts the objectors left.
  const contacts = (c as CaseView & { objectionContacts?: Record<string, string> }).objectionContacts ?? {};
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'objections-h' },
    h('h2', { id: 'objections-h' }, `公示异议（${objections.length} 条）`),
    h('p', { class: 'muted small' }, '公示期内收到的异议及其答复；提出异议的人不公开。'),
    ...objections.map((o, i) =>
      h(
        'article',
        { class: 'objection', 'data-objection': o.objectionId },
        h('h3', {}, `第 ${i + 1} 条异议`, ' ', o.answer ? h('span', { class: OBJECTION_OUTCOMES[o.answer.outcome].tone }, OBJECTION_OUTCOMES[o.answer.outcome].text) : h('span', { class: 'tag tag-warn' }, '待答复')),
        h('dl', { class: 'facts' },
          h('dt', {}, '收到时间'), h('dd', {}, dateTimeInWords(o.lodgedAt)),
          h('dt', {}, '异议理由'), h('dd', {}, o.reasons),
          ...(contacts[o.objectionId] ? [h('dt', {}, '异议人联系方式'), h('dd', {}, contacts[o.objectionId]!, h('span', { class: 'muted small' }, '（仅供本部门核实和答复，不得告知申请人）'))] : []),
          ...(o.answer ? [h('dt', {}, '答复'), h('dd', {}, o.answer.text), h('dt', {}, '答复人 / 时间'), h('dd', {}, `${o.answer.by}，${dateTimeInWords(o.answer.answeredAt)}`)] : []),
        ),
      ),
    ),
  );
}

interface CaseDocument {
  documentId: string;
  name: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  download: string;
  /** PDF and images: shown by the browser in a tab of its own (预览). */
  preview: string | null;
  /** Only an official's internal attachment references it: the applicant does not see it. */
  internal: boolean;
}

/** 材料: the files the case's events reference, each with the hash its event records, to download or (PDF, images) preview. */
/**
 * A file's or a letter's SHA-256 is for those who check that it was not replaced (officials and
 * auditors); an applicant is not shown a string of hex digits (an outside tester asked what
 * d0afbaf740ad… meant), and the applicant's file is the one they uploaded.
 */
const readsHashes = (me: SignedInAccount) => me.role === 'official' || me.role === 'auditor';

function documentsCard(documents: CaseDocument[], me: SignedInAccount): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'documents-h' },
    h('h2', { id: 'documents-h' }, '材料'),
    h(
      'ul',
      { class: 'letters documents' },
      ...documents.map((d) =>
        h(
          'li',
          { 'data-document': d.documentId },
          h('a', { href: d.download, download: d.name }, d.name),
          // Officials and auditors see which files the applicant does not (an official's internal attachment).
          d.internal ? [' ', h('span', { class: 'tag tag-warn' }, '内部材料，申请人不可见')] : null,
          d.preview ? [' ', h('a', { href: d.preview, target: '_blank', rel: 'noopener', class: 'preview-link', 'aria-label': `预览 ${d.name}（在新标签页打开）` }, '预览')] : null,
          h('span', { class: 'muted block small' }, `${sizeInWords(d.size)} · 上传于 ${dateTimeInWords(d.uploadedAt)}${readsHashes(me) ? ` · 校验码 ${d.sha256.slice(0, 16)}…（用于核对文件未被替换）` : ''}`),
        ),
      ),
    ),
  );
}

interface DecisionLetter {
  letterId: string;
  letterNo: string;
  title: string;
  decisionLabel: string;
  decidedOn: string;
  sha256: string;
  download: string;
}

/** 决定书: each decision in writing, as a PDF to download, with the hash its decision's event records. */
function decisionLettersCard(letters: DecisionLetter[], me: SignedInAccount): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'letters-h' },
    h('h2', { id: 'letters-h' }, '决定书'),
    h(
      'ul',
      { class: 'letters' },
      ...letters.map((l) =>
        h(
          'li',
          { 'data-letter': l.letterId },
          h('a', { href: l.download, download: `${l.title}（${l.letterNo}）.pdf` }, `${l.title}（PDF）`),
          h('span', { class: 'muted block small' }, `${l.decisionLabel} · ${l.letterNo} · ${dateInWords(l.decidedOn)}${readsHashes(me) ? ` · 校验码 ${l.sha256.slice(0, 16)}…` : ''}`),
        ),
      ),
    ),
  );
}

const INSTALMENT_STATUS: Record<Instalment['status'], string> = {
  paid: '已还清',
  'partially-paid': '部分已还',
  due: '待还',
  overdue: '逾期',
  delinquent: '严重逾期',
};

const DECLARATION_PILLS: Record<RepaymentDeclaration['status'], string> = { pending: 'pill-due', confirmed: 'pill-paid', withdrawn: 'pill-muted', rejected: 'pill-overdue' };

/** Recorded by the fund for another amount or day than the borrower reported. */
const recordedOtherwise = (d: RepaymentDeclaration): d is RepaymentDeclaration & { confirmed: NonNullable<RepaymentDeclaration['confirmed']> } => d.confirmed !== null && (d.confirmed.amountFen !== d.amountFen || d.confirmed.paidOn !== d.paidOn);

/**
 * A report's state in words: the borrower's own withdrawal is theirs (已撤回), the fund reads who
 * withdrew it. A report still unrecorded when the loan ended (settled by other repayments) waits
 * for nothing any more: 未入账, not 待基金核对. One the fund recorded for another amount or day says
 * so in the pill itself, not only in the small print under it.
 */
function declarationStatusText(d: RepaymentDeclaration, applicant: boolean, loanEnded: boolean): string {
  const status = d.status;
  if (status === 'confirmed') return recordedOtherwise(d) ? '已入账，与报告不符' : '已核对入账';
  if (status === 'withdrawn') return applicant ? '已撤回' : '借款人已撤回';
  if (status === 'rejected') return applicant ? '基金已退回' : '已退回';
  return loanEnded ? '未入账（借款已办结）' : '待基金核对';
}

/** What to do about a report the fund never recorded before the loan ended: the money, if sent, is owed back. */
const UNRECORDED_AT_END = {
  applicant: '借款已办结，基金未登记这笔报告：如您确已转账，请联系杨浦区 V聚场基金核对并办理退款。',
  official: '借款办结时这笔报告尚未核对：如借款人确已转账，请与银行到账核对后办理退款。',
};

/** The reported repayments' columns: a header row on a laptop, each fact's name on a phone's card. */
const DECLARATION_COLUMNS = ['还款日期', '金额', '银行流水号', '报告时间', '状态'] as const;

/**
 * The borrower's reports of repayments by bank transfer: to the fund's officials, the ones to check
 * against the bank before recording them (还款申报（N 笔待核对）), above the actions; to the borrower, what
 * they reported and whether the fund has recorded it (已核对入账).
 */
function repaymentDeclarationsCard(c: CaseView, me: SignedInAccount): HTMLElement | null {
  const declarations = c.repaymentDeclarations ?? [];
  if (declarations.length === 0) return null;
  const pending = declarations.filter((d) => d.status === 'pending');
  const applicant = me.role === 'applicant';
  const ended = c.finished;
  // Staff see what is left to check first, then what was recorded, then what was returned or withdrawn; the borrower sees every report of theirs.
  const order: RepaymentDeclaration['status'][] = ['pending', 'confirmed', 'rejected', 'withdrawn'];
  const shown: RepaymentDeclaration[] = applicant ? declarations : order.flatMap((s) => declarations.filter((d) => d.status === s));
  // The table lists every report (those recorded and withdrawn too): the heading counts what is left to check, not names the whole list so.
  const title = applicant ? '我的还款报告' : pending.length ? `还款申报（${pending.length} 笔${ended ? '未入账' : '待核对'}）` : '还款申报';
  const [paidOn, amount, reference, declaredAt, status] = DECLARATION_COLUMNS;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'declarations-h', 'data-declarations-pending': String(pending.length) },
    h('h2', { id: 'declarations-h' }, title),
    h(
      'p',
      { class: 'muted small' },
      ended && pending.length
        ? UNRECORDED_AT_END[applicant ? 'applicant' : 'official']
        : applicant
        ? '报告不直接冲抵欠款：杨浦区 V聚场基金核对到账后登记入账，还款计划随之更新。报告有误的，在基金登记前可用“撤回还款申报”撤回后重新报告；基金退回的，核对后可重新报告。'
        : pending.length
          ? `借款人报告已还款 ${pending.length} 笔，尚未登记：请与银行到账核对，无误后用“登记还款”登记（表单已按最早一笔填写）；核对不符的，用“退回还款申报”写明理由退回。`
          : declarations.every((d) => d.status === 'confirmed')
            ? '借款人报告的还款均已登记入账。'
            : '没有待核对的还款申报。',
    ),
    h(
      'div',
      // Named apart from its card (two landmarks of one name tell a screen reader nothing).
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': `${applicant ? '还款报告' : '还款申报'}明细（${shown.length} 笔）` },
      h(
        'table',
        { class: 'cases declarations' },
        h('caption', { class: 'visually-hidden' }, `${title}：还款日期、金额、银行流水号与核对情况`),
        h('thead', {}, h('tr', {}, ...DECLARATION_COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          ...shown.map((d) =>
            h(
              'tr',
              { 'data-declaration': d.reference, 'data-status': d.status },
              h('td', { 'data-label': paidOn }, dateTag(d.paidOn)),
              h('td', { class: 'num', 'data-label': amount }, money(d.amountFen)),
              h('td', { 'data-label': reference }, d.reference, d.note ? h('span', { class: 'muted block small' }, d.note) : null),
              h('td', { 'data-label': declaredAt }, dateTimeInWords(d.declaredAt)),
              h(
                'td',
                { 'data-label': status },
                h('span', { class: `pill ${(ended && d.status === 'pending') || recordedOtherwise(d) ? 'pill-overdue' : DECLARATION_PILLS[d.status]}` }, declarationStatusText(d, applicant, ended)),
                d.withdrawn
                  ? h('span', { class: 'muted block small' }, `${dateTimeInWords(d.withdrawn.at)}撤回${d.withdrawn.reason ? `：${d.withdrawn.reason}` : ''}${d.status === 'confirmed' ? '；其后到账已登记' : ''}`)
                  : null,
                d.rejected
                  ? d.status === 'confirmed'
                    ? h('span', { class: 'muted block small' }, `${dateTimeInWords(d.rejected.at)}曾退回（${d.rejected.reason}），其后到账已登记`)
                    : h('span', { class: 'block small' }, `${dateTimeInWords(d.rejected.at)}退回：${d.rejected.reason}`)
                  : null,
                recordedOtherwise(d)
                  ? h('span', { class: 'muted block small' }, `基金登记：${dateInWords(d.confirmed.paidOn)} ${money(d.confirmed.amountFen)}`)
                  : null,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The schedule's columns: its header row on a laptop, each fact's name on a phone's card. */
const SCHEDULE_COLUMNS = ['期数', '应还日期', '应还金额', '已还', '状态'] as const;

function scheduleSection(c: CaseView): HTMLElement {
  const schedule = c.schedule!;
  const paid = schedule.filter((i) => i.status === 'paid').length;
  const late = schedule.filter((i) => i.status === 'overdue' || i.status === 'delinquent');
  const next = schedule.find((i) => i.paidFen < i.amountFen);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'schedule-h' },
    h('h2', { id: 'schedule-h' }, '还款计划'),
    h(
      'div',
      { class: 'stats' },
      stat('尚欠本金', money(c.outstandingFen), 'outstanding'),
      stat('已还期数', `${paid} / ${schedule.length}`),
      stat('下一期', next ? `${dateInWords(next.dueOn)}${next.provisional ? '（暂定）' : ''} · ${money(next.amountFen - next.paidFen)}` : '已全部还清'),
      stat('逾期期数', String(late.length), late.length ? 'danger' : ''),
    ),
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': `${schedule.length} 期还款计划` },
      // A table on a laptop; on a phone (table.cases) each instalment a card, each fact named by its data-label, as in the worklist.
      h(
        'table',
        { class: 'cases schedule' },
        h('caption', { class: 'visually-hidden' }, '还款计划：每期应还日期、金额与状态'),
        h('thead', {}, h('tr', {}, ...SCHEDULE_COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          ...schedule.map((i) => {
            const [number, dueOn, amount, paidSoFar, status] = SCHEDULE_COLUMNS;
            return h(
              'tr',
              { class: `instalment-${i.status}`, 'data-instalment': i.number },
              h('th', { scope: 'row', 'data-label': number }, `第 ${i.number} 期`),
              // A paid instalment's day no longer matters: 暂定 beside it read as money still owed on an open date.
              h('td', { 'data-label': dueOn }, dateTag(i.dueOn), i.provisional && i.status !== 'paid' ? h('span', { class: 'tag', title: '所在年度节假日安排未公布' }, '暂定') : null),
              h('td', { class: 'num', 'data-label': amount }, money(i.amountFen)),
              h('td', { class: 'num', 'data-label': paidSoFar }, money(i.paidFen)),
              h('td', { 'data-label': status }, h('span', { class: `pill pill-${i.status}` }, INSTALMENT_STATUS[i.status])),
            );
          }),
        ),
      ),
    ),
  );
}

export function stat(label: string, value: string, tone = ''): HTMLElement {
  return h('div', { class: `stat ${tone}` }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value));
}

/** Every step, who took it, when and why: the case's events in order. */
export function timeline(events: readonly CaseEvent[], options: { hashes?: boolean } = {}): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'timeline-h' },
    h('h2', { id: 'timeline-h' }, '办理过程'),
    h(
      'ol',
      { class: 'timeline' },
      ...events.map((e) => {
        const why = eventWhy(e.type, e.data);
        const who = whoTookIt(e);
        return h(
          'li',
          { class: `event event-${e.type}`, 'data-event': e.type, 'data-version': e.version },
          h('div', { class: 'event-head' }, h('strong', {}, eventTitle(e.type)), h('time', { datetime: e.recordedAt }, dateTimeInWords(e.recordedAt))),
          h('p', { class: 'event-who' }, who),
          why ? h('p', { class: 'event-why' }, why) : null,
          options.hashes
            ? h('p', { class: 'hash small' }, h('span', { class: 'muted' }, `#${e.version} · 位置 ${e.position} · 哈希 `), h('code', { title: e.hash }, e.hash.slice(0, 16)), h('span', { class: 'muted' }, ' ← 前序 '), h('code', { title: e.prevHash }, e.prevHash.slice(0, 16)))
            : null,
        );
      }),
    ),
  );
}

const SCORE_WORDS = ['', '很不满意', '不满意', '基本满意', '满意', '非常满意'];

function ratingSection(c: CaseView, view: RatingView, me: SignedInAccount): HTMLElement {
  if (view.rating) {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'rating-h' },
      h('h2', { id: 'rating-h' }, '好差评'),
      h('p', { class: 'stars', 'aria-label': `${view.rating.score} 分（满分 5 分）` }, '★'.repeat(view.rating.score), h('span', { class: 'stars-off', 'aria-hidden': 'true' }, '★'.repeat(5 - view.rating.score)), ` ${view.rating.score} 分 · ${SCORE_WORDS[view.rating.score]}`),
      view.rating.comment ? h('p', {}, view.rating.comment) : null,
      h('p', { class: 'muted small' }, `${view.rating.ratedBy} 评价于 ${dateInWords(shanghaiDate(view.rating.ratedAt))}`),
      view.followUp
        ? h('p', { class: view.followUp.status === 'open' ? 'notice notice-info' : 'notice notice-ok' }, view.followUp.status === 'open' ? `差评已转${view.followUp.departmentName ?? ''}分管领导跟进。` : `分管领导已跟进：${view.followUp.note ?? ''}`)
        : null,
    );
  }
  if (me.role !== 'applicant') return h('section', { class: 'card' }, h('h2', {}, '好差评'), h('p', { class: 'muted' }, '申请人尚未评价。'));
  const scale = h(
    'fieldset',
    { class: 'field rating-scale', 'data-field': 'score' },
    h('legend', {}, '总体评价（1–5 分）'),
    ...[5, 4, 3, 2, 1].map((score) =>
      h('label', { class: 'rating-option' }, h('input', { type: 'radio', name: 'score', value: score }), ` ${'★'.repeat(score)} ${score} 分 · ${SCORE_WORDS[score]}`),
    ),
    h('p', { class: 'field-error', hidden: true }),
  );
  const form = apiForm({
    label: '好差评',
    submitText: '提交评价',
    fields: [scale, field({ name: 'comment', label: '意见和建议', type: 'textarea', hint: '给 1 分或 2 分时请说明原因，将转部门分管领导跟进' })],
    async action(f) {
      const chosen = f.querySelector<HTMLInputElement>('input[name=score]:checked');
      await post(`/api/cases/${c.caseId}/rating`, { score: Number(chosen?.value ?? 0), comment: valueOf(f, 'comment') });
      flash('感谢您的评价。');
      await refresh();
    },
  });
  return h('section', { class: 'card highlight', 'aria-labelledby': 'rating-h' }, h('h2', { id: 'rating-h' }, '评价本次服务（好差评）'), h('p', {}, '本案已办结。您的评价将帮助我们改进服务。'), form);
}
