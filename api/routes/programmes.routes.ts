import { CATALOGUE_VERSION, findProgramme, PROGRAMMES } from '../../domain/programmes/catalogue.js';
import { PUBLISHED_FACTS, selfCheck, selfCheckFacts } from '../../domain/programmes/check.js';
import type { Programme } from '../../domain/programmes/programme.js';
import { sourceInWords } from '../../domain/programmes/sources.js';
import { fundedItemKey, stackingInWords, stacksWith } from '../../domain/programmes/stacking.js';
import { shanghaiDateOf } from '../../domain/time/local-date.js';
import { ledgerAwards } from '../../db/awards-ledger.js';
import { lookUpRegisterFacts } from '../../db/registers/register-store.js';
import { openingTermsFor } from '../../db/programme-terms/terms-store.js';
import { APPLICATION_RULES, applicationTermsOf, isApplicationProgramme, programmeOfTerms } from '../../domain/applications/terms.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { eligibilityResponse, programmeIntakeResponse, programmeListResponse, programmeResponse } from '../schemas/responses.schemas.js';
import { findOpenCall } from '../../db/calls/open-call.js';
import { PROGRAMMES_NEEDING_IDENTITY } from '../personal-data.js';
import { applicationFactsBody, programmeIdParams } from '../schemas/programme.schemas.js';

const DEPARTMENT_NAMES: Record<Programme['department'], string> = {
  cac: '市委网信办',
  'yangpu-fund': '杨浦区 V聚场基金',
  'yangpu-investment': '杨浦区投促办',
  huangpu: '黄浦区',
  xuhui: '徐汇区',
  'culture-tourism': '市文旅局',
  hrss: '人社部门',
};

/** A measure as the catalogue shows it: rules and caps in words and in numbers. */
function programmeView(p: Programme) {
  return {
    id: p.id,
    name: p.name,
    family: p.family,
    level: p.level,
    source: p.source,
    sourceInWords: sourceInWords(p.source),
    department: { id: p.department, name: DEPARTMENT_NAMES[p.department] },
    caseKind: p.caseKind,
    rulesInWords: p.rulesInWords,
    eligibility: p.eligibility.map(({ rule, description, options }) => ({ rule, description, ...(options ? { options: [...options] } : {}) })),
    requiredFacts: p.requiredFacts,
    amount: p.amount,
    capPeriod: p.capPeriod,
    fundedItem: p.fundedItem,
    payout: p.payout,
    requiresContentReview: p.requiresContentReview,
    asksIdNumber: PROGRAMMES_NEEDING_IDENTITY.includes(p.id),
    ...(p.caseKind === 'filing' ? {} : { completenessWorkingDays: completenessWorkingDaysOf(p), supplementReplyDays: supplementReplyDaysOf(p) }),
    stacksWith: PROGRAMMES.filter((other) => other.id !== p.id && other.fundedItem !== 'none' && stacksWith(p, other)).map((other) => other.id),
    ...(p.effectiveFrom ? { effectiveFrom: p.effectiveFrom } : {}),
    status: p.status ?? 'in-force',
    ...(p.referral ? { referral: { ...p.referral, sourceInWords: sourceInWords(p.referral.source) } } : {}),
    stacking: stackingInWords(p),
  };
}

/** The working days the department has to list every missing item (一次告知), after which what was sent is deemed complete. */
function completenessWorkingDaysOf(p: Programme): number {
  return p.id === 'chuying-loan' ? (CHUYING_LOAN_TERMS.timeLimits?.completenessWorkingDays ?? APPLICATION_RULES.completenessWorkingDays) : APPLICATION_RULES.completenessWorkingDays;
}

/** The calendar days an applicant has to answer a 补正 request (moved to the next working day when they end on a rest day). */
function supplementReplyDaysOf(p: Programme): number {
  return p.id === 'chuying-loan' ? CHUYING_LOAN_TERMS.supplementReplyDays : APPLICATION_RULES.supplementReplyDays;
}

function programmeOr404(id: string): Programme {
  const programme = findProgramme(id);
  if (!programme) throw new HttpError(404, 'not-found', `没有编号为 ${id} 的政策事项：请在“政策目录”中查找。`, [], {}, {}, `no programme ${id}; GET /api/programmes lists them`);
  return programme;
}

export function programmeRoutes({ db, clock }: ApiDependencies) {
  return [
    route({
      method: 'GET',
      url: '/api/programmes',
      summary: 'The programme catalogue: every measure with its rules, caps, payout shape and what it stacks with',
      tag: 'programmes',
      access: 'public',
      response: programmeListResponse,
      async handle() {
        return { catalogueVersion: CATALOGUE_VERSION, programmes: PROGRAMMES.map(programmeView) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/programmes/:programmeId',
      summary: 'One measure of the catalogue',
      tag: 'programmes',
      access: 'public',
      params: programmeIdParams,
      response: programmeResponse,
      async handle({ params }) {
        return { catalogueVersion: CATALOGUE_VERSION, ...programmeView(programmeOr404(params.programmeId)) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/programmes/:programmeId/intake',
      summary: 'Signed in: whether the measure takes an application now, as its submission would be answered: at any time, into the open call, or not (the refusal, naming the next call, which may be one whose budget awaits approval and is not yet public)',
      tag: 'programmes',
      access: 'signed-in',
      params: programmeIdParams,
      response: programmeIntakeResponse,
      async handle({ params }) {
        const { id } = programmeOr404(params.programmeId);
        const answer = await findOpenCall(db, { programmeId: id, at: clock().getTime() });
        if (!answer.runByCalls) return { programmeId: id, runByCalls: false, call: null, refusal: null };
        if (answer.call) return { programmeId: id, runByCalls: true, call: { callId: answer.call.callId, title: answer.call.title, closesAt: answer.call.closesAt }, refusal: null };
        return { programmeId: id, runByCalls: true, call: null, refusal: answer.refusal || null };
      },
    }),
    route({
      method: 'POST',
      url: '/api/programmes/:programmeId/check',
      summary: 'Eligibility check without applying: every rule of the measure applied to the stated facts (stacking against your own awards when signed in as an applicant)',
      tag: 'programmes',
      access: 'public',
      params: programmeIdParams,
      body: applicationFactsBody,
      response: eligibilityResponse,
      async handle({ params, body, account }) {
        const catalogued = programmeOr404(params.programmeId);
        const today = shanghaiDateOf(clock());
        // The measure as an application opened today would be decided: the office's terms in force and the matrix as approved (issue 14).
        const programme = isApplicationProgramme(catalogued) ? (programmeOfTerms(applicationTermsOf(catalogued, CATALOGUE_VERSION, await openingTermsFor(db, catalogued, today))) ?? catalogued) : catalogued;
        // What a register publishes for everyone (the LPR) is looked up as the application looks it up; what is typed for it does not count.
        const published = programme.requiredFacts.some((fact) => PUBLISHED_FACTS.includes(fact))
          ? (await lookUpRegisterFacts(db, { requiredFacts: PUBLISHED_FACTS, facts: body.termMonths === undefined ? {} : { termMonths: body.termMonths }, keys: { applicantAccountId: account?.accountId ?? '' }, on: today })).facts
          : {};
        const applicant = account?.role === 'applicant' ? { accountId: account.accountId, kind: account.applicantKind } : undefined;
        const context = { published, ...(applicant ? { applicant } : {}) };
        // The item as stacking knows it: derived as the application derives it (a loan, a drama, the applicant itself), not typed.
        const itemKey = fundedItemKey(programme, selfCheckFacts(programme, body, context));
        // Stacking is checked against the signed-in applicant's own awards only: the public check
        // must not reveal what anyone else was awarded. Opening a case checks against everyone's.
        const ledger = itemKey !== undefined && applicant ? await ledgerAwards(db, { itemId: itemKey, applicantAccountId: applicant.accountId }) : [];
        const result = selfCheck(programme, body, { on: today, ledger, ...context });
        return { programmeId: programme.id, catalogueVersion: CATALOGUE_VERSION, ...result };
      },
    }),
  ];
}
