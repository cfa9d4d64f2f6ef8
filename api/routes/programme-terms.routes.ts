import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import { findProgramme, PROGRAMMES } from '../../domain/programmes/catalogue.js';
import type { Programme } from '../../domain/programmes/programme.js';
import { entriesConcerning, entryInWords } from '../../domain/programmes/stacking.js';
import { CONDITION_LABELS, type PublishedTerms } from '../../domain/programme-terms/published-terms.js';
import { departmentsOf, sideInWords, type StackingChange } from '../../domain/programme-terms/stacking-matrix.js';
import { termsOfficerRefusal, versionInForce, type TermsVersion } from '../../domain/programme-terms/terms-versions.js';
import { shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { allTermsVersions, codeTerms, matrixAsApproved, recordStackingChange, recordTermsChange, stackingChanges, termsVersions } from '../../db/programme-terms/terms-store.js';
import { actorOf, type Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { localDate, optionalText, text } from '../schemas/common.schemas.js';
import { programmeIdParams } from '../schemas/programme.schemas.js';

const count = (title: string, max: number) => z.int(`${title}应为整数`).min(0, `${title}不能小于 0`).max(max, `${title}不能大于 ${max}`).meta({ title });
const fenValue = (title: string) => z.int(`${title}应为整数（以分计，1 元 = 100 分）`).positive(`${title}必须大于 0`).meta({ title, unit: 'fen' });
const basisPoints = (title: string) => z.int(`${title}应为整数（基点，1% = 100）`).min(1, `${title}须大于 0`).max(10_000, `${title}不能超过 10000（100%）`).meta({ title });

/** The amount rule's parameters; its kind, base and the like are the catalogue's and may only be repeated. */
const amountBody = z
  .strictObject({
    kind: z.string().max(40).optional().meta({ description: '金额规则的类型，须与目录相同（可省略）' }),
    capFen: fenValue('最高额').optional(),
    amountFen: fenValue('定额').optional(),
    shareBasisPoints: basisPoints('比例').optional(),
    upliftBasisPoints: basisPoints('上浮比例').optional(),
    monthlyCapFen: fenValue('每月最高额').optional(),
    maxMonths: z.int('最长月数应为整数').min(1, '最长月数至少 1 个月').max(120, '最长月数不超过 120 个月').optional().meta({ title: '最长月数' }),
    waivedBasisPointsByYear: z.array(count('减免比例', 10_000)).min(1).max(10).optional().meta({ title: '逐年减免比例' }),
    perUnitFen: fenValue('每人标准').nullable().optional(),
    base: z.string().max(40).optional(),
    of: z.string().max(40).optional(),
    when: z.string().max(40).optional(),
  })
  .meta({ title: '金额规则的参数（只填要改的项）' });

const draftBody = z.strictObject({
  amount: amountBody.optional(),
  capPeriod: z.enum(['per-award', 'per-year'], '上限计算方式只能是“per-award”（每次）或“per-year”（每年）').optional(),
  timeLimits: z
    .strictObject({ contentReviewWorkingDays: count('网信内容审查时限', 60).optional(), decisionWorkingDays: count('作出决定时限', 60).optional() })
    .optional()
    .meta({ title: '办理时限（工作日）' }),
  conditions: z
    .strictObject({
      minimumAge: count('最低年龄', 100).optional(),
      maxStayDays: count('每次入住最多天数', 100).optional(),
      maxStaysPerYear: count('每年最多入住次数', 100).optional(),
      listedTitleFields: z.array(text(40)).min(1, '至少列一项').max(30).optional().meta({ title: '所列职称评审专业' }),
      listedComplaintCategories: z.array(text(40)).min(1, '至少列一项').max(30).optional().meta({ title: '所列维权类别' }),
    })
    .optional()
    .meta({ title: '条件的参数' }),
  requiredDocuments: z.array(text(100)).max(30, '所需材料不超过 30 项').optional().meta({ title: '所需材料' }),
  effectiveFrom: localDate.meta({ title: '生效日期（上海日期，不早于今天）', format: 'date' }),
  reason: text(1000).meta({ title: '理由', description: '为什么调整（依据的文件、会议纪要等）' }),
});

const versionParams = programmeIdParams.extend({ version: z.coerce.number().int('版本号应为整数').min(1, '版本号从 1 开始').max(10_000) });
const approveBody = z.strictObject({ note: optionalText(1000).meta({ title: '批准意见' }) });
const rejectBody = z.strictObject({ reason: text(1000).meta({ title: '退回理由' }) });

const side = z.union([
  z.strictObject({ programmeId: z.string().regex(/^[a-z0-9-]{1,80}$/, '政策事项编号格式不对（如 hu9-shield）') }),
  z.strictObject({ family: z.enum(['hu9', 'yangpu', 'huangpu', 'drama-hu8', 'xuhui'], '政策系列只能是 hu9、yangpu、huangpu、drama-hu8、xuhui') }),
]);
const proposalBody = z.strictObject({
  between: z.tuple([side, side], '须填写两项政策（措施编号或政策系列）'),
  verdict: z.enum(['stack', 'do-not-stack', 'unspecified'], '结论只能是“stack”（可叠加）、“do-not-stack”（不可叠加）或“unspecified”（未明确）'),
  reason: text(1000).meta({ title: '理由（依据的文件和条款）' }),
});
const changeParams = z.strictObject({ changeId: z.string().regex(/^SC-[A-Za-z0-9-]{1,80}$/, '变更编号格式不对（如 SC-…）') });

function programmeOr404(id: string): Programme {
  const programme = findProgramme(id);
  if (!programme) throw new HttpError(404, 'not-found', `没有编号为 ${id} 的政策事项：请在“政策目录”中查找。`);
  return programme;
}

const versionView = (v: TermsVersion) => ({
  version: v.version,
  status: v.status,
  effectiveFrom: v.effectiveFrom,
  terms: v.terms,
  draftedBy: v.drafted.by.displayName,
  draftedAt: v.drafted.at,
  reason: v.drafted.reason,
  decidedBy: v.decided?.by.displayName ?? null,
  decidedAt: v.decided?.at ?? null,
  decisionNote: v.decided?.note ?? null,
});

const changeView = (c: StackingChange) => ({
  changeId: c.changeId,
  between: c.between,
  inWords: `${sideInWords(c.between[0], PROGRAMMES)} — ${sideInWords(c.between[1], PROGRAMMES)}`,
  verdict: c.verdict,
  status: c.status,
  reason: c.proposed.reason,
  proposedBy: c.proposed.by.displayName,
  proposedAt: c.proposed.at,
  decidedBy: c.decided?.by.displayName ?? null,
  decidedAt: c.decided?.at ?? null,
  decisionNote: c.decided?.note ?? null,
  matrixVersion: c.matrixVersion,
});

/** A measure's terms as the catalogue page shows them: the version in force today, what waits, and the history. */
function termsView(programme: Programme, versions: readonly TermsVersion[], today: LocalDate, account: Account | undefined) {
  const inForce = versionInForce(versions, today);
  const scheduled = versions.filter((v) => v.status === 'approved' && v.effectiveFrom > today);
  const pending = versions.find((v) => v.status === 'draft');
  return {
    programmeId: programme.id,
    name: programme.name.zh,
    department: { id: programme.department, name: DEPARTMENTS[programme.department] },
    current: inForce
      ? { version: inForce.version, effectiveFrom: inForce.effectiveFrom, terms: inForce.terms, draftedBy: inForce.drafted.by.displayName, approvedBy: inForce.decided?.by.displayName ?? '' }
      : { version: 0, effectiveFrom: null, terms: codeTerms(programme), draftedBy: null, approvedBy: null },
    scheduled: scheduled.map(versionView),
    pendingDraft: pending ? versionView(pending) : null,
    history: versions.map(versionView),
    conditionLabels: CONDITION_LABELS,
    /** What the caller may do here: an officer of the department drafts; another approves. */
    canDraft: account !== undefined && termsOfficerRefusal(programme, actorOf(account)) === undefined,
    canApprove: account !== undefined && pending !== undefined && termsOfficerRefusal(programme, actorOf(account)) === undefined && pending.drafted.by.accountId !== account.accountId,
  };
}

/**
 * Programme terms as published data (issue 14 part 4): each measure's versions, drafted by an
 * officer of its department and approved by another, and the stacking matrix the office sets.
 * Reading is public, as the catalogue is; every write names its reason and is an event.
 */
export function programmeTermsRoutes(deps: ApiDependencies) {
  const { db, clock } = deps;

  function officer(programme: Programme, account: Account) {
    const actor = actorOf(account);
    const refusal = termsOfficerRefusal(programme, actor);
    if (refusal) throw new HttpError(403, 'forbidden', refusal);
    return actor;
  }

  /** The terms a draft leaves as they are: those of the version in force today (or the code catalogue). */
  async function draftTerms(programme: Programme, body: z.infer<typeof draftBody>): Promise<PublishedTerms> {
    const inForce = versionInForce(await termsVersions(db, programme.id), shanghaiDateOf(clock()));
    const base = inForce?.terms ?? codeTerms(programme);
    return {
      amount: { ...base.amount, ...(body.amount ?? {}) } as PublishedTerms['amount'],
      capPeriod: body.capPeriod ?? base.capPeriod,
      timeLimits: { ...base.timeLimits, ...(body.timeLimits ?? {}) },
      conditions: { ...base.conditions, ...(body.conditions ?? {}) },
      requiredDocuments: body.requiredDocuments ?? base.requiredDocuments,
    };
  }

  return [
    route({
      method: 'GET',
      url: '/api/programme-terms',
      summary: "Every measure's terms version in force today, what is scheduled or waits for approval, and the stacking matrix's version",
      tag: 'programme-terms',
      access: 'public',
      async handle({ account }) {
        const today = shanghaiDateOf(clock());
        const versions = await allTermsVersions(db);
        const matrix = await matrixAsApproved(db);
        return {
          today,
          matrixVersion: matrix.matrixVersion,
          programmes: PROGRAMMES.map((p) => {
            const view = termsView(p, versions.filter((v) => v.programmeId === p.id), today, account);
            return { programmeId: p.id, name: view.name, current: { version: view.current.version, effectiveFrom: view.current.effectiveFrom, approvedBy: view.current.approvedBy, amount: view.current.terms.amount }, pendingDraft: view.pendingDraft !== null, versions: view.history.length, canDraft: view.canDraft };
          }),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/programme-terms/:programmeId',
      summary: "One measure's terms: the version in force today (version 0 is the code catalogue), scheduled versions, a draft waiting, and every version with who drafted and approved it",
      tag: 'programme-terms',
      access: 'public',
      params: programmeIdParams,
      refusals: [404],
      async handle({ params, account }) {
        const programme = programmeOr404(params.programmeId);
        const matrix = await matrixAsApproved(db);
        return {
          ...termsView(programme, await termsVersions(db, programme.id), shanghaiDateOf(clock()), account),
          stacking: { matrixVersion: matrix.matrixVersion, entries: entriesConcerning(programme, matrix.entries).map(({ verdict, source, inWords }) => entryInWords({ verdict, source, inWords })) },
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/programme-terms/:programmeId/drafts',
      summary: "An officer of the measure's department: draft a new version of its terms (only what changes; the rest is the version in force), effective from a date not in the past, with the reason",
      tag: 'programme-terms',
      access: 'signed-in',
      params: programmeIdParams,
      body: draftBody,
      status: 201,
      refusals: [404],
      async handle({ params, body, account }) {
        const programme = programmeOr404(params.programmeId);
        const actor = officer(programme, account!);
        const terms = await draftTerms(programme, body);
        return versionView(await recordTermsChange(db, programme, { type: 'DraftTerms', terms, effectiveFrom: body.effectiveFrom as LocalDate, reason: body.reason }, actor, clock));
      },
    }),
    route({
      method: 'POST',
      url: '/api/programme-terms/:programmeId/versions/:version/approve',
      summary: "Another officer of the measure's department (never the drafter): approve a drafted version; new applications take it from its effective date",
      tag: 'programme-terms',
      access: 'signed-in',
      params: versionParams,
      body: approveBody,
      refusals: [404],
      async handle({ params, body, account }) {
        const programme = programmeOr404(params.programmeId);
        const actor = officer(programme, account!);
        return versionView(await recordTermsChange(db, programme, { type: 'ApproveTerms', version: params.version, note: body.note }, actor, clock));
      },
    }),
    route({
      method: 'POST',
      url: '/api/programme-terms/:programmeId/versions/:version/reject',
      summary: "An officer of the measure's department: reject a drafted version, with the reason",
      tag: 'programme-terms',
      access: 'signed-in',
      params: versionParams,
      body: rejectBody,
      refusals: [404],
      async handle({ params, body, account }) {
        const programme = programmeOr404(params.programmeId);
        const actor = officer(programme, account!);
        return versionView(await recordTermsChange(db, programme, { type: 'RejectTerms', version: params.version, reason: body.reason }, actor, clock));
      },
    }),
    route({
      method: 'GET',
      url: '/api/stacking-matrix',
      summary: 'The stacking matrix as approved (seeded from the sources, 002 Q5) and every proposed change with who proposed and who decided it',
      tag: 'programme-terms',
      access: 'public',
      async handle({ account }) {
        const matrix = await matrixAsApproved(db);
        const changes = await stackingChanges(db);
        const department = account?.role === 'official' ? account.department : undefined;
        return {
          matrixVersion: matrix.matrixVersion,
          entries: matrix.entries.map((e) => entryInWords({ between: e.between, verdict: e.verdict, source: e.source, inWords: e.inWords })),
          changes: changes.map((c) => ({
            ...changeView(c),
            canDecide: c.status === 'proposed' && department !== undefined && c.proposed.by.accountId !== account!.accountId && [...departmentsOf(c.between[0], PROGRAMMES), ...departmentsOf(c.between[1], PROGRAMMES)].includes(department),
          })),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/stacking-matrix/changes',
      summary: "An officer of a department concerned: propose a pair's verdict (stack, does not stack, unspecified), with the reason",
      tag: 'programme-terms',
      access: 'signed-in',
      body: proposalBody,
      status: 201,
      async handle({ body, account }) {
        const change = await recordStackingChange(db, { type: 'ProposeStackingChange', changeId: `SC-${randomUUID()}`, between: body.between, verdict: body.verdict, reason: body.reason }, actorOf(account!), clock);
        return changeView(change);
      },
    }),
    route({
      method: 'POST',
      url: '/api/stacking-matrix/changes/:changeId/approve',
      summary: 'Another officer of a department concerned (never the proposer): approve a change; new applications use it from now on',
      tag: 'programme-terms',
      access: 'signed-in',
      params: changeParams,
      body: approveBody,
      refusals: [404],
      async handle({ params, body, account }) {
        return changeView(await recordStackingChange(db, { type: 'ApproveStackingChange', changeId: params.changeId, note: body.note }, actorOf(account!), clock));
      },
    }),
    route({
      method: 'POST',
      url: '/api/stacking-matrix/changes/:changeId/reject',
      summary: 'An officer of a department concerned: reject a proposed change, with the reason',
      tag: 'programme-terms',
      access: 'signed-in',
      params: changeParams,
      body: rejectBody,
      refusals: [404],
      async handle({ params, body, account }) {
        return changeView(await recordStackingChange(db, { type: 'RejectStackingChange', changeId: params.changeId, reason: body.reason }, actorOf(account!), clock));
      },
    }),
  ];
}
