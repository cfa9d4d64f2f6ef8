import { get } from '../api.js';
import { dateInWords } from '../format.js';
import { h, mount } from '../dom.js';
import type { SignedInAccount } from '../session.js';
import { notOfferedTo } from '../offers.js';
import { FILING_TYPES } from './apply-filing.js';
import { amountInWords, type Programme } from './catalogue.js';

export const guidePath = (programmeId: string) => `#/guide/${programmeId}`;

interface MeasureTerms {
  amount: Programme['amount'];
  capPeriod: 'per-award' | 'per-year';
  timeLimits: { contentReviewWorkingDays: number; decisionWorkingDays: number };
  requiredDocuments: string[];
}

/** GET /api/programme-terms/:id, the part a guide reads: the terms in force, and those approved to come into force later. */
interface TermsInForce {
  current: { terms: MeasureTerms };
  scheduled?: { version: number; effectiveFrom: string; terms: MeasureTerms }[];
}

/** Where a measure is applied for online: the 雏鹰 loan's form, a filing's, or the one every award and service shares. */
export function applyPath(p: Pick<Programme, 'id' | 'caseKind'>): string | undefined {
  if (p.id === 'chuying-loan') return '#/apply/chuying-loan';
  if (FILING_TYPES[p.id]) return `#/apply/${p.id}`;
  if (p.caseKind === 'award' || p.caseKind === 'service') return `#/apply/programme/${p.id}`;
  return undefined;
}

/**
 * 办事指南 of one measure, the 一网通办 way: who may apply (申请条件), what to submit (所需材料), how
 * long each step may take (办理时限), who decides and whom to ask (受理部门、咨询方式), the policy it
 * rests on (政策依据), and 开始申请. Everything comes from the catalogue and the terms in force.
 */
export async function guidePage(main: HTMLElement, [programmeId]: string[], account: SignedInAccount | undefined): Promise<void> {
  const [p, terms] = await Promise.all([get<Programme & { requiresContentReview?: boolean }>(`/api/programmes/${programmeId}`), get<TermsInForce>(`/api/programme-terms/${programmeId}`).catch(() => null)]);
  const current = terms?.current.terms;
  const apply = applyPath(p);
  const filing = FILING_TYPES[p.id];
  const documents = current?.requiredDocuments ?? [];
  // The heading's two parts read as one word in a title ("办事指南雏鹰…"): named here instead.
  document.title = `办事指南：${p.name.zh} · 优创`;
  mount(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/catalogue' }, '← 政策目录')),
    h('h1', {}, h('span', { class: 'muted small block' }, '办事指南'), p.name.zh),
    h('p', { class: 'lead' }, p.rulesInWords),
    startButton(apply, account, notOfferedTo(account, p.id)),
    ...(terms?.scheduled ?? []).map((next) => scheduledTerms(p, current, next)),
    section(
      'guide-conditions',
      '申请条件',
      p.eligibility.length ? h('ul', {}, ...p.eligibility.map((e) => h('li', {}, e.description))) : h('p', {}, '政策未另设条件。'),
      p.status === 'planned' ? h('p', { class: 'muted' }, '政策原文表述为“拟”：可以申请，经办人确认实施办法后再作决定。') : null,
      p.effectiveFrom ? h('p', {}, `自${dateInWords(p.effectiveFrom)}起可申请。`) : null,
      // Every measure that pays says how (an uncapped one-off subsidy or voucher too); a service or a filing says nothing of money here.
      p.amount.kind !== 'none' || (p.payout !== undefined && p.payout.kind !== 'none')
        ? h('p', {}, h('strong', {}, '支持标准：'), amountInWords({ ...p, amount: current?.amount ?? p.amount, capPeriod: current?.capPeriod ?? p.capPeriod }))
        : null,
    ),
    section(
      'guide-documents',
      '所需材料',
      documents.length
        ? h('ul', {}, ...documents.map((d) => h('li', {}, d)))
        : h('p', {}, '本事项未列明须另交的材料：在线填写申请表即可。受理部门审查时认为需要补充的，会一次告知需要补正的全部内容。'),
    ),
    section('guide-time-limits', '办理时限', ...timeLimits(p, current?.timeLimits, filing)),
    section(
      'guide-department',
      '受理部门和咨询方式',
      h('dl', { class: 'facts' }, h('dt', {}, '受理部门'), h('dd', {}, p.department.name), p.referral ? [h('dt', {}, '办理方式'), h('dd', {}, `由${p.referral.to}办理，本平台负责转介`)] : null, h('dt', {}, '咨询方式'), h('dd', {}, `向${p.department.name}咨询。提交后，办件页面写明每一步由谁办理；凭申请编号和查询码可在“办件进度查询”中查看进度，无需登录。`)),
    ),
    section('guide-basis', '政策依据', h('p', {}, p.sourceInWords), p.stacking?.length ? h('ul', {}, ...p.stacking.map((s) => h('li', {}, s.inWords))) : null),
  );
}

/**
 * Terms the department has approved to come into force on a later day (a lower cap, more documents from
 * 2027-01-01): said before the applicant prepares, with what changes, and that an application made
 * before that day is decided under the terms in force when it was made. An outside tester's office
 * approved new terms that the 办事指南 never mentioned.
 */
function scheduledTerms(p: Programme & { requiresContentReview?: boolean }, current: MeasureTerms | undefined, next: { version: number; effectiveFrom: string; terms: MeasureTerms }): HTMLElement {
  const id = `guide-scheduled-${next.version}`;
  const pays = p.amount.kind !== 'none' || (p.payout !== undefined && p.payout.kind !== 'none');
  const amountNow = current ? amountInWords({ ...p, amount: current.amount, capPeriod: current.capPeriod }) : undefined;
  const amountThen = amountInWords({ ...p, amount: next.terms.amount, capPeriod: next.terms.capPeriod });
  const documentsNow = (current?.requiredDocuments ?? []).join('、');
  const documentsThen = next.terms.requiredDocuments.join('、');
  const limitsChanged = current !== undefined && (current.timeLimits.contentReviewWorkingDays !== next.terms.timeLimits.contentReviewWorkingDays || current.timeLimits.decisionWorkingDays !== next.terms.timeLimits.decisionWorkingDays);
  const changes = [
    pays && amountThen !== amountNow ? h('li', {}, h('strong', {}, '支持标准：'), amountThen) : null,
    documentsThen !== documentsNow ? h('li', {}, h('strong', {}, '所需材料：'), documentsThen || '不再列明须另交的材料') : null,
    limitsChanged ? h('li', {}, h('strong', {}, '办理时限：'), `作出决定 ${next.terms.timeLimits.decisionWorkingDays} 个工作日${p.requiresContentReview ? `，网信内容审查 ${next.terms.timeLimits.contentReviewWorkingDays} 个工作日` : ''}`) : null,
  ].filter((c) => c !== null);
  return h(
    'section',
    { class: 'card guide-section notice notice-info', 'aria-labelledby': id, 'data-scheduled-terms': next.effectiveFrom },
    h('h2', { id }, `自${dateInWords(next.effectiveFrom)}起施行调整后的标准`),
    changes.length ? h('ul', {}, ...changes) : h('p', {}, '调整不涉及支持标准、所需材料和办理时限。'),
    h('p', { class: 'muted' }, `${dateInWords(next.effectiveFrom)}前提交的申请，按提交时施行的标准（即本页下方所列）办理；自${dateInWords(next.effectiveFrom)}起提交的，按调整后的标准办理。`),
  );
}

function section(id: string, title: string, ...children: (HTMLElement | HTMLElement[] | null)[]): HTMLElement {
  return h('section', { class: 'card guide-section', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** The working days each step may take, as the measure's terms promise them. */
function timeLimits(p: Programme & { requiresContentReview?: boolean; completenessWorkingDays?: number; supplementReplyDays?: number }, limits: TermsInForce['current']['terms']['timeLimits'] | undefined, filing: (typeof FILING_TYPES)[string] | undefined): HTMLElement[] {
  if (filing) return [h('p', {}, `普通微短剧：市文旅局在 ${filing.days} 个工作日内审查反馈；重点微短剧：沪8条未承诺审查时限。`), h('p', { class: 'muted' }, '工作日按国务院节假日安排计算（含调休）。')];
  return [
    h(
      'ul',
      {},
      h(
        'li',
        {},
        p.completenessWorkingDays
          ? `材料审查：受理部门收到申请后 ${p.completenessWorkingDays} 个工作日内审查材料，材料不全的一次告知需要补正的全部内容；材料齐全即予受理，逾期未告知的，所交材料视为齐全。`
          : '材料审查：受理部门收到申请后审查材料，材料不全的一次告知需要补正的全部内容；材料齐全即予受理。',
      ),
      p.supplementReplyDays
        ? h('li', {}, `补正：申请人自补正告知之日起 ${p.supplementReplyDays} 日内一次提交；期限最后一日为周末或法定节假日的，顺延至其后第一个工作日；逾期未提交的，视为撤回申请。`)
        : null,
      limits && p.requiresContentReview ? h('li', {}, `内容审查：受理后，市委网信办在 ${limits.contentReviewWorkingDays} 个工作日内完成。`) : null,
      limits ? h('li', {}, `作出决定：${limits.decisionWorkingDays} 个工作日内。`) : null,
    ),
    h('p', { class: 'muted' }, '工作日按国务院节假日安排计算（含调休）；提交后，办件页面显示每一步的期限。'),
  ];
}

/** 开始申请 for an applicant; the way to it for someone not signed in; nothing for officials. */
function startButton(apply: string | undefined, account: SignedInAccount | undefined, notOffered: string | undefined): HTMLElement | null {
  if (!apply) return h('p', { class: 'muted' }, '本事项不在本平台在线申请，请向受理部门咨询。');
  // Not for this applicant (the 雏鹰 loan, for companies, and an individual creator): who it is for, not a form that would refuse them at its end.
  if (notOffered) return h('p', { class: 'not-offered muted', 'data-not-offered': 'true' }, `${notOffered}。`);
  if (account?.role === 'applicant') return h('p', {}, h('a', { class: 'button primary', href: apply }, '开始申请'));
  if (account) return null;
  const login = h('a', { class: 'button primary', href: '#/login' }, '登录后开始申请');
  // After signing in, the person lands on the form they came for.
  login.addEventListener('click', () => sessionStorage.setItem('youchuang.after-login', apply));
  return h('p', {}, login);
}
