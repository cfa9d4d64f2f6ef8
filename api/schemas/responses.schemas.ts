import { z } from 'zod';

/**
 * What the API answers, for the OpenAPI document (and so for generated clients and Schemathesis).
 * Precise where a client reads the fields (cases, lists, sign-in, the catalogue, queues); where a
 * part is the case's own recorded data (a filing's submission, an event's payload, an audit
 * report), it is declared as a free-form object, and says so.
 */

/** Every refusal, the framework's included: `error` is a stable code, `message` says what was wrong and what is allowed. */
export const errorResponse = z
  .looseObject({
    error: z.string().describe('a stable code: validation, unauthenticated, forbidden, not-found, method-not-allowed, illegal-state, conflict, concurrency, in-progress, idempotency-key-reused, payload-too-large, uri-too-long, unsupported-media-type, too-many-attempts, internal …'),
    code: z.string().optional().describe('the rule that refused, stable: e.g. director-approval-required, four-eyes, not-at-this-step; the kind where no rule is named'),
    params: z.record(z.string(), z.unknown()).optional().describe('the numbers and names the message states: money in fen, dates YYYY-MM-DD'),
    message: z.string().describe('what was wrong and what is allowed, in plain Chinese (English with Accept-Language: en)'),
    issues: z
      .array(z.strictObject({ field: z.string(), message: z.string().describe('plain Chinese (English with Accept-Language: en)'), code: z.string().optional().describe('the kind of check that refused it') }))
      .optional()
      .describe('one entry per field refused'),
  })
  .describe('The one error shape of the API; some refusals add facts (e.g. retryAfterSeconds on 429)');

/** Declared free-form on purpose: the case's or the audit's own recorded data, whose shape is the domain's, not the API's. */
export const freeForm = (what: string) => z.looseObject({}).describe(`free-form: ${what}`);

const name = z.strictObject({ zh: z.string(), en: z.string() });
const instant = z.string().describe('an ISO 8601 instant');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('an Asia/Shanghai calendar date');
const fen = z.int().describe('integer fen (1 yuan = 100 fen)');
const uuid = z.string().describe('a UUID');
const role = z.enum(['applicant', 'official', 'auditor', 'admin', 'expert']);
const maskedPersonalData = z
  .strictObject({ idNumber: z.string().nullable(), contactPhone: z.string().nullable(), shown: z.enum(['clear', 'masked']) })
  .nullable()
  .describe('身份证号 and phone: in clear for the officials of the department the case belongs to only, masked for everyone else (an official of another department that sees the case for a step of its own included); null when the server holds no personal-data key');

const waitingFor = z.looseObject({ role: z.enum(['applicant', 'official']), department: z.string().optional(), note: z.string() }).nullable();
const stepDeadline = z.looseObject({ kind: z.string(), dueOn: date, at: z.string().nullable(), provisional: z.boolean() }).nullable();
/** The promised time limit (承诺时限) of the step the case is at (domain/time-limits): its days, an extension, a breach. */
const stepTimeLimit = z
  .looseObject({
    step: z.string(),
    stepLabel: z.string(),
    department: z.string(),
    workingDays: z.int().describe('working days allowed now, an extension included'),
    promisedWorkingDays: z.int().describe('the days the programme promises for this step'),
    startedOn: date,
    lastWorkingDay: date,
    deadlineAt: z.string(),
    provisional: z.boolean().describe('counted on weekends and the fixed-date holidays only: the year’s holiday arrangement is not loaded yet'),
    extension: z.looseObject({ extraWorkingDays: z.int(), reason: z.string(), by: z.string(), at: z.string() }).nullable(),
    breachedAt: z.string().nullable(),
    escalatedAt: z.string().nullable(),
  })
  .nullable()
  .optional();

/** The part every case view shares, whatever its type. */
const caseCommon = {
  caseId: uuid,
  referenceNo: z.string(),
  caseType: z.string().describe('chuying-loan, drama-planning-filing, drama-release-filing, application, or a type added since (GET /api/case-types)'),
  status: z.string(),
  statusLabel: z.string(),
  version: z.int().min(0).describe('send as expectedVersion with the next action'),
  waitingFor,
  finished: z.boolean().describe('the case has ended (decided, withdrawn, closed): nothing more happens on it. waitingFor null alone does not say so: during a 公示, say, nobody acts but the case is open'),
  deadline: stepDeadline,
  timeLimit: stepTimeLimit,
  applicant: z.strictObject({ accountId: z.string(), name: z.string() }),
  openedAt: instant,
  updatedAt: instant,
};

const instalment = z.strictObject({ number: z.int(), dueOn: date, amountFen: fen, paidFen: fen, status: z.string(), provisional: z.boolean() });

export const chuyingLoanCaseResponse = z.looseObject({
  ...caseCommon,
  caseType: z.literal('chuying-loan'),
  programme: name,
  company: freeForm('the company as the applicant gave it').nullable(),
  project: freeForm('the project as the applicant gave it').nullable(),
  requestedAmountFen: fen.nullable(),
  approvedAmountFen: fen.nullable(),
  outstandingFen: fen.nullable(),
  supplement: freeForm('the 补正 request and its answers').nullable(),
  disbursement: freeForm('the disbursement as recorded').nullable(),
  closingReasons: z.array(z.string()),
  schedule: z.array(instalment),
  repaymentDeclarations: z
    .array(
      z.strictObject({
        reference: z.string().describe('the bank reference of the transfer, as the borrower gave it'),
        amountFen: fen,
        paidOn: date,
        note: z.string(),
        declaredAt: instant,
        status: z
          .enum(['pending', 'confirmed', 'withdrawn', 'rejected'])
          .describe('confirmed (已核对入账) once the fund recorded a repayment under the same reference; withdrawn (已撤回) where the borrower took it back before; rejected (基金退回) where the fund found no transfer to match it; pending (待核对) until one of these'),
        confirmed: z.strictObject({ amountFen: fen, paidOn: date, recordedAt: instant }).nullable().describe('the repayment the fund recorded under the reference'),
        withdrawn: z.strictObject({ at: instant, reason: z.string() }).optional().describe('only on a withdrawn report: when the borrower withdrew it, and why'),
        rejected: z.strictObject({ at: instant, reason: z.string() }).optional().describe('only on a report the fund returned: when, and why'),
      }),
    )
    .optional()
    .describe("the borrower's reports of repayments made by bank transfer (报告已还款), oldest first; absent on a loan with none"),
});

export const dramaFilingCaseResponse = z.looseObject({
  ...caseCommon,
  caseType: z.enum(['drama-planning-filing', 'drama-release-filing']),
  programme: name,
  flagged: z.boolean(),
  filing: freeForm('the filing as the producer submitted it').nullable(),
  reasons: z.array(z.string()),
  decidedBy: freeForm('who decided').nullable(),
  rounds: z.array(freeForm('one review round: submission, review clock, reviewer, outcome')),
});

export const applicationCaseResponse = z.looseObject({
  ...caseCommon,
  caseType: z.literal('application'),
  programme: z.looseObject({ id: z.string(), zh: z.string(), en: z.string() }).nullable(),
  priority: z.string(),
  termsOpenedUnder: z
    .strictObject({ programmeId: z.string(), catalogueVersion: z.string(), version: z.int().describe('0: the code catalogue’s own terms'), effectiveFrom: date.nullable() })
    .optional()
    .describe('the version of the programme’s published terms the case opened under and keeps for life (absent on a row projected before issue 15)'),
  details: freeForm('title and summary as the applicant gave them').nullable(),
  facts: freeForm('the facts the programme’s rules read'),
  requestedAmountFen: fen.nullable(),
  maxAmountFen: fen.nullable(),
  scores: z
    .array(z.looseObject({ by: z.string().optional(), score: z.number().optional(), comments: z.string().optional(), scoredAt: z.string() }))
    .describe('each reviewer’s score; who scored, the points and the comments for the department’s officials and the auditors only, the applicant reads only that (and when) it was scored'),
  decision: freeForm('who decided, when, and the approved amount').nullable(),
  award: freeForm('the award and its payout plan in words').nullable(),
  payouts: z.array(freeForm('one payout')),
  totalPaidFen: fen,
  closingReasons: z.array(z.string()),
});

/** A case of a type whose module declares its own view (issue 11: a recovery): the common part, its facts in words, and its module's fields. */
export const moduleCaseResponse = z.looseObject({
  ...caseCommon,
  programme: z.looseObject({ zh: z.string(), en: z.string() }),
  requestedAmountFen: fen,
  outstandingFen: fen,
  department: z.string().nullable(),
  sourceCaseId: uuid.nullable().describe('the case this one was opened against'),
  overview: z.array(z.strictObject({ label: z.string(), value: z.string() })).optional().describe('what the case is, in words, in the order its module gives them'),
});

/** A case in the shape of its type (`caseType` tells which). */
export const caseResponse = z.union([chuyingLoanCaseResponse, dramaFilingCaseResponse, applicationCaseResponse, moduleCaseResponse]);

const applicantAward = z.strictObject({
  awardId: z.string(),
  caseId: uuid,
  programmeId: z.string(),
  programme: name,
  itemId: z.string().describe("the ledger's key of the funded item"),
  item: z.string().describe('the funded item in words (本申请人, the identifying facts, the item stated)'),
  amountFen: fen,
  awardedOn: date,
  recoveredFen: fen.describe('recovered from the award since (追回)'),
  writtenOffFen: fen.describe('written off by a director: no longer to be recovered'),
  publicity: z
    .strictObject({
      status: z.enum(['in-publicity', 'objection-pending']),
      label: z.string().describe('公示中 or 异议待答复'),
      lastWorkingDay: date.nullable().describe("the 公示's last working day"),
    })
    .nullable()
    .describe('an award in a call not yet final: on 公示, or with objections waiting for an answer; null once final (or never on 公示)'),
  stopped: z
    .strictObject({ label: z.string().describe('已停止，未发放'), stoppedAt: instant.describe('when the payments were stopped') })
    .nullable()
    .describe('an award whose payments were stopped before the first (已发放 0.00): never to be paid, out of the count and the totals; null otherwise'),
});

export const applicantAwardsResponse = z.strictObject({
  totalFen: fen.describe('the final grants (awards and subsidies) only: an award still on 公示 or with an objection pending is totalled apart, and a 雏鹰 loan is lent, to be repaid, and not counted'),
  count: z.int().describe('the final grants'),
  onNoticeTotalFen: fen.describe('the grants not yet final (公示中, 异议待答复); the approval of another still counts them against yearly caps and stacking'),
  onNoticeCount: z.int().describe('the grants not yet final'),
  stoppedUnpaidCount: z.int().describe('the grants stopped before their first payment, listed (see stopped) but counted nowhere'),
  awards: z.array(applicantAward).describe('the grants across programmes, final or not (see publicity)'),
  loanTotalFen: fen.describe('the 雏鹰 loans (借款, to be repaid)'),
  loans: z.array(applicantAward).describe('the 雏鹰 loans, apart from the grants'),
});

/** An action the case page offers the account that asked (api/views/available-actions.ts). */
export const availableActionResponse = z.strictObject({
  name: z.string().describe('the action: POST /api/cases/:caseId/<name>'),
  label: z.string().describe('zh-CN heading of the action'),
  submit: z.string().describe('zh-CN text of the button'),
  done: z.string().describe('zh-CN message once it is done'),
  tone: z.enum(['danger']).nullable().describe('danger: a refusal or a closing'),
  asksFirst: z.boolean().describe('the page asks before sending it: a refusal or a closing, an approval, or money recorded as moved'),
  explain: z.string().nullable().describe('zh-CN line above the form, from the case'),
  prefill: freeForm('values the form starts with, from the case (money in fen)'),
  bodySchema: freeForm('the JSON Schema of the body (without expectedVersion); each field titled in Chinese, money with unit fen'),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().describe('why this account may not take it now, in Chinese (four-eyes, recusal …)'),
  alreadyTaken: z.boolean().describe('this account has already taken this action at this step and cannot take it twice (claimed the filing, scored the case): a page offers it no more'),
});

/** A case of another type that may be opened against this one: POST /api/cases/<caseType> with the body drawn from bodySchema. */
export const availableOpeningResponse = z.strictObject({
  caseType: z.string(),
  label: z.string().describe('zh-CN label of the button'),
  explain: z.string().describe('zh-CN explanation'),
  prefill: freeForm('values the form starts with (money in fen)'),
  bodySchema: freeForm('the JSON Schema of the opening body; fields titled in Chinese, money with unit fen'),
  existingCaseId: uuid.nullable().describe('the case already opened for this one (one per case), if any'),
});

/** GET /api/cases/:caseId: the case, the applicant's awards across programmes, personal data as the viewer may see it, and what the viewer may do now. */
export const caseDetailResponse = z.intersection(
  caseResponse,
  z.looseObject({
    applicantAwards: applicantAwardsResponse.optional().describe('what the applicant already holds: for the officials, auditors and the applicant; absent for a panel expert'),
    personalData: maskedPersonalData,
    objectionContacts: z
      .record(z.string(), z.string())
      .optional()
      .describe("by objection id, the contact an objector left on the public 公示 page (电话或邮箱): only for the officials of the case's own department, who answer the objections; absent for everyone else"),
    availableActions: z.array(availableActionResponse).describe("the actions of the case's step this account is granted, in the order the UI offers them; none for auditors"),
    availableOpenings: z.array(availableOpeningResponse).describe('cases of another type this account may open against this one (a recovery of what was overpaid)'),
    stackingNotes: z
      .array(z.string())
      .describe("for the department's officials of an undecided application: its item already funded under another measure the sources say nothing of stacking with (政策未明确…请经办人审核), against the ledger as it is now; empty for everyone else"),
    factConflicts: z
      .array(z.string())
      .describe("for the department's officials of an undecided application: what it states otherwise than another decided application of the same item (the interest paid on one loan, which the two subsidies' combined cap reads), to check against the originals; empty for everyone else"),
    progressCode: z.string().optional().describe("the case's 查询码 for GET /api/progress: shown to its applicant and to the officials of the department it belongs to (who may read it out on the phone), never to others (not to an official of another department that sees it for a step of its own)"),
  }),
);

/** What an action on a case answers: the workflow's result and the case after it. */
/** Money a case has recorded, named by its bank reference (domain/chuying/money.ts). */
export const moneyRecordResponse = z.strictObject({
  type: z.string().describe('the event that recorded it: LoanDisbursed, RepaymentRecorded, RecoveryPaymentRecorded …'),
  version: z.int().describe('the stream version of the event that recorded it'),
  reference: z.string().describe('the bank reference'),
  amountFen: fen,
  date: date.describe('the disbursement or payment date (Asia/Shanghai)'),
  recordedAt: instant,
});

/** What the workflow answers for one action. */
export const actionOutcomeResponse = z.looseObject({
  caseId: uuid,
  version: z.int(),
  status: z.string(),
  events: z.array(z.string()).describe('the types of the events this request recorded; [] for a repeated money request'),
  recorded: moneyRecordResponse.optional().describe('for a disbursement or repayment: the event that recorded the money, the same for the first request and every repeat'),
  alreadyRecorded: z.boolean().optional().describe('true when the same bank reference, amount and date had been recorded before: nothing new was recorded'),
});

/** What POST /api/cases/:caseId/:action answers: the workflow's result, and the case after it with the applicant's awards. */
export const actionResultResponse = z.strictObject({
  result: actionOutcomeResponse,
  case: z.intersection(caseResponse, z.looseObject({ applicantAwards: applicantAwardsResponse.optional().describe('absent for a panel expert') })),
});

/** GET /api/case-types: every case type, with the zh-CN labels of its statuses and actions. */
export const caseTypesResponse = z.array(
  z.strictObject({
    caseType: z.string(),
    streamTypes: z.array(z.string()).describe('the values of caseType its cases carry'),
    name: z.string().describe('zh-CN name of the case type'),
    statuses: z.record(z.string(), z.string()).describe('status → zh-CN label'),
    actions: z.record(z.string(), z.string()).describe('action name → zh-CN label'),
    events: z.record(z.string(), z.string()).describe('event type → zh-CN title, for the types that declare them'),
  }),
);

export const openedApplicationResponse = z.intersection(caseResponse, z.looseObject({ applicantAwards: applicantAwardsResponse }));

export const caseListResponse = z.strictObject({
  cases: z.array(
    z.strictObject({
      caseId: uuid,
      referenceNo: z.string(),
      caseType: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      applicantName: z.string(),
      programmeId: z.string().nullable(),
      priority: z.int().describe('higher first (盾牌行动 complaints)'),
      waitingFor: z.strictObject({ role: z.string(), department: z.string().nullable() }).nullable(),
      nextDeadlineAt: instant.nullable(),
      requestedAmountFen: fen.nullable(),
      outstandingFen: fen.nullable(),
      version: z.int(),
      updatedAt: instant,
    }),
  ),
  limit: z.int(),
  offset: z.int(),
});

const actor = z.looseObject({ accountId: z.string(), displayName: z.string(), role: z.string(), department: z.string().optional() });

export const caseEventsResponse = z.strictObject({
  events: z.array(
    z.strictObject({
      position: z.union([z.string(), z.int()]).describe('the global position (a bigint, written as a string where it exceeds 2^53)'),
      version: z.int(),
      eventId: z.string(),
      type: z.string(),
      data: freeForm('the event’s payload, as its type defines it'),
      actor: actor.nullable().optional(),
      recordedAt: instant,
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
});

const accountSummary = {
  accountId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
  department: z.string().nullable(),
  duties: z.array(z.string()),
  applicantKind: z.enum(['individual', 'company']).nullable(),
  company: z
    .strictObject({ name: z.string(), unifiedSocialCreditCode: z.string() })
    .nullable()
    .describe('a company applicant’s organisation as registered on the account: it applies under this credit code only, and no other account may'),
};

export const loginResponse = z.strictObject({
  token: z.string().describe('send as Authorization: Bearer <token>'),
  csrfToken: z.string().describe('the web UI sends it in X-CSRF-Token on writes'),
  expiresAt: instant,
  account: z.strictObject(accountSummary),
});

export const meResponse = z.strictObject({ ...accountSummary, personalData: maskedPersonalData, csrfToken: z.string().nullable() });

export const personalDataResponse = z.strictObject({ personalData: maskedPersonalData });


const programme = z.strictObject({
  id: z.string(),
  name,
  family: z.string(),
  level: z.string(),
  source: z.string().describe('the policy document and clause the measure comes from'),
  sourceInWords: z.string().describe('政策依据 in words: each document by its title and the place within it, as the 办事指南 shows it'),
  department: z.strictObject({ id: z.string(), name: z.string() }),
  caseKind: z.enum(['award', 'loan', 'service', 'filing']),
  rulesInWords: z.string(),
  eligibility: z.array(z.strictObject({ rule: z.string(), description: z.string(), options: z.array(z.string()).optional().describe('the only values its fact may take (an applicant-kind rule: the kinds the measure is for)') })),
  requiredFacts: z.array(z.string()),
  amount: z.looseObject({ kind: z.string() }).describe('how the amount is set: none, a cap, a fixed amount, a share …; the fields besides kind depend on it'),
  capPeriod: z.enum(['per-award', 'per-year']),
  fundedItem: z.string(),
  payout: z.looseObject({ kind: z.string() }).describe('one-off, monthly (maxMonths), rent-waiver-years (years) …'),
  requiresContentReview: z.boolean(),
  asksIdNumber: z.boolean().describe('the application carries the applicant’s 身份证号 (personalData.idNumber, or the one set with PUT /api/me/personal-data): 落户, 职称, 职业技能等级认定'),
  completenessWorkingDays: z.int().optional().describe('working days the department has to list every missing item at once (一次告知); after them what was sent is deemed complete. Not for filings'),
  supplementReplyDays: z.int().optional().describe('calendar days the applicant has to answer a 补正 request, counted from the day it is made; when the last is a rest day, the period ends on the next working day (民法典 第二百零三条). Not for filings'),
  stacksWith: z.array(z.string()),
  effectiveFrom: date.optional().describe('the day the measure applies from (沪九条: 2025-07-15)'),
  status: z.enum(['in-force', 'planned']).describe('planned: announced as 拟 in the source; the official confirms the implementing rules before deciding'),
  referral: z.strictObject({ to: z.string(), source: z.string(), sourceInWords: z.string() }).optional().describe('delivered by someone other than the department (a 社会评价机构): the case is a referral'),
  stacking: z.array(z.strictObject({ inWords: z.string(), source: z.string(), sourceInWords: z.string().describe('the source named by its document, as people know it') })).describe('what the sources say about stacking this measure with others'),
});

export const programmeListResponse = z.strictObject({ catalogueVersion: z.string(), programmes: z.array(programme) });
export const programmeResponse = programme.extend({ catalogueVersion: z.string() });
/** Whether the measure takes an application now: continuously, into an open call, or not at all (and why, in the applicant's words). */
export const programmeIntakeResponse = z.strictObject({
  programmeId: z.string(),
  runByCalls: z.boolean().describe('false: applied for at any time; true: only within a call (申报批次)'),
  call: z.strictObject({ callId: z.string(), title: z.string(), closesAt: z.string() }).nullable().describe('the open call an application made now goes into'),
  refusal: z.string().nullable().describe('why no call takes an application now (closed, not yet open, budget or places used up), naming the next call where one is planned'),
});
export const eligibilityResponse = z.strictObject({
  programmeId: z.string(),
  catalogueVersion: z.string(),
  eligible: z.boolean(),
  maxAmountFen: fen.nullable().optional(),
  amountRule: z.string().optional(),
  violations: z.array(z.strictObject({ rule: z.string(), message: z.string(), fact: z.string().optional().describe('the fact the rule reads: where an application form shows it (absent: the application as a whole)') })),
  notes: z.array(z.strictObject({ rule: z.string(), message: z.string() })).describe('not refusals: what the official will review (a pair of measures the sources say nothing of, an 其他 answer, a planned measure)'),
});

export const countdownResponse = z.strictObject({
  counting: z
    .enum(['working-days', 'calendar-days', 'payout-date'])
    .describe("how the deadline is counted: an official's time limit in working days, a period the applicant keeps (a 补正 reply, a repayment) in calendar days; a payout's day (payout-date) is a date by the award's schedule, not counted down, never breached or provisional"),
  today: date,
  dueOn: date,
  workingDaysLeft: z.int(),
  calendarDaysLeft: z.int(),
  breached: z.boolean(),
  workingDaysOverdue: z.int(),
  calendarDaysOverdue: z.int(),
  provisional: z.boolean().describe('counted in working days through a year whose holiday arrangement is not published yet'),
});

export const worklistResponse = z.strictObject({
  view: z.enum(['queue', 'all']),
  department: z.string().nullable(),
  total: z.int().describe('how many cases match the search and filters, on every page'),
  page: z.int(),
  pageSize: z.int(),
  pageCount: z.int().describe('at least 1; a page beyond it has no cases'),
  nextAfter: z.string().nullable().describe('send as after (with page + 1) for the next page: it starts after this page\'s last case even if cases before it have left the list; null when this page is not full'),
  referencePrefixes: z.array(z.string()).describe('the reference prefixes (CY, BA…) of the cases the account may see, most cases first, at most 3: for the search box to give an example'),
  sort: z.strictObject({ by: z.enum(['deadline', 'submitted', 'reference', 'applicant', 'amount']), order: z.enum(['asc', 'desc']) }).nullable().describe("null: the view's own order"),
  waiting: z
    .strictObject({ total: z.int(), breached: z.int(), dueSoon: z.int().describe('not breached, at most one working day left') })
    .nullable()
    .describe("what waits for the account whatever the filters: an official's department's cases at an official's step, an applicant's at theirs; null for others"),
  facets: z.strictObject({
    statuses: z.array(z.strictObject({ status: z.string(), label: z.string(), count: z.int() })),
    programmes: z.array(z.strictObject({ id: z.string(), name: z.string(), count: z.int() })),
  }).describe('the steps and programmes present in the view (before search and filters), for the filters to offer'),
  cases: z.array(
    z.strictObject({
      caseId: uuid,
      referenceNo: z.string(),
      caseType: z.string(),
      programme: name,
      priority: z.int().describe('higher first (盾牌行动 complaints)'),
      status: z.string(),
      statusLabel: z.string(),
      applicantName: z.string(),
      waitingFor: z.strictObject({ role: z.string(), department: z.string().nullable(), text: z.string().nullable() }).nullable(),
      finished: z.boolean().describe('the case has ended; waitingFor null alone does not say so (a 公示 waits on nobody)'),
      deadlineAt: instant.nullable(),
      countdown: countdownResponse.nullable(),
      reviewer: z.strictObject({ accountId: z.string(), displayName: z.string().nullable() }).nullable(),
      breached: z.boolean(),
      escalated: z.boolean(),
      requestedAmountFen: fen.nullable(),
      approvedAmountFen: fen.nullable().describe('what a decision granted (a loan, an award), once one has; null before and when refused'),
      outstandingFen: fen.nullable(),
      version: z.int(),
      openedAt: instant,
      updatedAt: instant,
      title: z.string().nullable().describe("the project's or drama's name (an application's title, a loan's project, a filing's drama, a call's title)"),
      producer: z.string().nullable().describe("a drama filing's 制作机构 as filed, beside its applicant (the account); null for other cases"),
      producerNote: z.string().nullable().describe('a drama filing whose 制作机构 is not its applicant’s own, in words; null otherwise'),
      claimable: z.boolean().describe('the account may claim it now (POST /api/cases/:caseId/claim)'),
    }),
  ),
});

/** POST /api/worklist/claims: one result per case sent, in the order sent. */
export const worklistClaimsResponse = z.strictObject({
  claimed: z.int().describe('how many of the cases the caller now holds'),
  refused: z.int().describe('how many were not claimed'),
  results: z.array(
    z.strictObject({
      caseId: uuid,
      referenceNo: z.string().nullable().describe('null where the case is not one the caller may see: refused as the claim route refuses it, nothing of the case said'),
      outcome: z.enum(['claimed', 'refused']),
      alreadyYours: z.boolean().describe('claimed, and held by the caller already (the same request sent again): nothing new recorded for it'),
      version: z.int().nullable().describe('the case version once claimed; null when refused'),
      message: z.string().describe('in plain Chinese: the claim done, or why not (the refusal’s message)'),
      refusal: errorResponse
        .extend({ status: z.int().describe('the status POST /api/cases/{caseId}/claim answers with') })
        .nullable()
        .describe('refused: what POST /api/cases/{caseId}/claim answers for this case, with its status; null when claimed'),
    }),
  ),
});

export const schedulePreviewResponse = z.strictObject({ instalments: z.array(z.strictObject({ number: z.int(), dueOn: date, amountFen: fen, provisional: z.boolean() })) });

export const deadlineResponse = z.strictObject({ lastWorkingDay: date, deadline: z.string().describe('24:00 Shanghai, written with +08:00'), provisional: z.boolean() });

export const calendarYearResponse = z.strictObject({
  year: z.int(),
  official: z.boolean(),
  provisional: z.boolean(),
  source: z.enum(['loaded', 'chinese-days', 'none']),
  holidays: z.array(date),
  makeUpWorkdays: z.array(date),
  nonWorkingDays: z.array(date),
  workingDayCount: z.int(),
  loaded: z
    .strictObject({
      revision: z.int(),
      by: z.strictObject({ accountId: z.string(), displayName: z.string() }).describe('the administrator who proposed (before proposals: loaded) the arrangement'),
      approvedBy: z.strictObject({ accountId: z.string(), displayName: z.string() }).nullable().describe('the second administrator who approved it; null for a load made before approvals were asked'),
      noticeSource: z.string().nullable().describe('the State Council notice it follows, as the proposer gave it'),
      at: instant,
      note: z.string(),
    })
    .nullable(),
});
const calendarRecount = z.strictObject({ filings: z.int(), loans: z.int(), applications: z.int(), others: z.int().describe('calls and 追回 cases with a provisional step time limit') });
const calendarActor = z.strictObject({ accountId: z.string(), displayName: z.string() });
/** A year's arrangement one administrator proposed, and what it would change (counted now, against the calendar in force). */
export const calendarProposalResponse = z.strictObject({
  proposalId: uuid,
  year: z.int(),
  status: z.enum(['pending', 'approved', 'refused', 'withdrawn']),
  holidays: z.array(date),
  makeUpWorkdays: z.array(date),
  note: z.string(),
  source: z.string().describe('the State Council notice it follows: title and 文号'),
  baseRevision: z.int().describe('the revision it was proposed on (0: the year was never loaded)'),
  proposedBy: calendarActor,
  proposedAt: instant,
  decidedBy: calendarActor.nullable(),
  decidedAt: instant.nullable(),
  reason: z.string().nullable().describe('why it was refused or withdrawn'),
  changes: z.strictObject({ holidaysAdded: z.array(date), holidaysRemoved: z.array(date), makeUpWorkdaysAdded: z.array(date), makeUpWorkdaysRemoved: z.array(date) }),
  impact: z
    .strictObject({
      recount: calendarRecount.describe('open cases that approving it would signal to count again'),
      movingFilingDeadlines: z.array(z.strictObject({ caseId: z.string(), referenceNo: z.string(), title: z.string(), from: date, to: date })).describe('open filings whose review deadline would move'),
    })
    .nullable()
    .describe('null once decided'),
});
export const calendarProposalListResponse = z.strictObject({ proposals: z.array(calendarProposalResponse) });
export const calendarProposalDecisionResponse = z.strictObject({ proposal: calendarProposalResponse });
export const calendarLoadResponse = calendarYearResponse.extend({
  recomputation: calendarRecount,
  proposal: calendarProposalResponse,
});

const count = z.int().min(0);
/** GET /api/dashboard/cases: the filters the answer was counted under, and the programmes one may filter by. */
export const dashboardFilters = z.strictObject({
  month: z.string().nullable().describe('YYYY-MM (Asia/Shanghai) of the cases counted by the day they were opened; null: all months'),
  programme: z.string().nullable().describe('the programme (catalogue measure id, or case type) counted; null: all'),
  programmes: z.array(z.strictObject({ programme: z.string(), name: z.string() })).describe('every programme with a case this account may see, for the filter'),
});

export const dashboardResponse = z.strictObject({
  total: count,
  byStatus: z.array(z.strictObject({ status: z.string(), label: z.string(), count })),
  byProgramme: z.array(z.strictObject({ caseType: z.string(), name: z.string(), count })),
  byProgrammeAndStatus: z.array(z.strictObject({ caseType: z.string(), status: z.string(), label: z.string(), count })),
  filters: dashboardFilters,
});

const awardMoney = {
  awards: count.describe('awards with an amount (an approval undone before any money went out stays in the ledger at 0.00 and is not counted)'),
  awardedFen: fen.describe('what was awarded (approved amounts; a rent waiver’s years; a loan’s principal), as the awards ledger holds it'),
  paidFen: fen.describe('what went out of it so far: payments recorded or issued, rent waived, a loan’s disbursement'),
  toPayFen: fen.describe('what is still to go out of awards being paid (待发放, including those in 公示 and loans awaiting disbursement); nothing for an award whose payments stopped or ended'),
  recoveredFen: fen.describe('recovered from the awards since (追回)'),
  writtenOffFen: fen.describe('written off by a director: no longer to be recovered'),
};

export const awardsReportResponse = z.strictObject({
  asOf: date,
  filters: z.strictObject({ year: z.string().nullable(), programme: z.string().nullable() }),
  years: z.array(z.string()).describe('the years (of the award day, Asia/Shanghai) that hold awards the caller may see, newest first'),
  byProgramme: z.array(z.strictObject({ programme: z.string(), name: z.string(), department: z.string().nullable(), departmentName: z.string().nullable(), ...awardMoney })),
  totals: z.strictObject(awardMoney),
});

export const loanBookResponse = z.strictObject({
  asOf: date,
  loans: z.strictObject({ repaying: count, repaid: count }),
  disbursedFen: fen,
  outstandingFen: fen,
  dueThisMonth: z.strictObject({ month: z.string(), instalments: count, amountFen: fen, paidFen: fen }),
  recoveredThisMonth: z
    .strictObject({ month: z.string(), repayments: count, amountFen: fen })
    .describe('the repayments recorded with a payment date (Asia/Shanghai) in the month, whatever instalment they settle: what the ledger of RepaymentRecorded events sums to'),
  delinquency: z.array(z.strictObject({ bucket: z.string(), label: z.string(), instalments: count, loans: count, outstandingFen: fen })),
});

const followUpTask = z.strictObject({
  taskId: z.string(),
  caseId: uuid,
  referenceNo: z.string(),
  department: z.string().nullable().describe('the department whose supervising official follows the 差评 up; null for one no department was found for (only auditors see it, in the list)'),
  departmentName: z.string().nullable(),
  assignee: z.string(),
  score: z.int(),
  reason: z.string(),
  status: z.string(),
  openedAt: instant,
  closedAt: instant.nullable(),
  closedBy: z.string().nullable(),
  note: z.string().nullable(),
  applicantName: z.string().nullable().describe('the applicant of the case rated'),
  programme: z.string().nullable().describe('the measure (or case type) of the case rated, in Chinese'),
  caseStatusLabel: z.string().nullable().describe('where the case rated stands, in Chinese'),
  decidedOn: date.nullable().describe('the day the case was decided, where it was'),
});

export const ratingResponse = z.strictObject({
  rating: z
    .strictObject({ score: z.int().min(1).max(5), comment: z.string(), ratedBy: z.string(), ratedAt: instant, department: z.string().nullable(), departmentName: z.string().nullable() })
    .nullable(),
  followUp: followUpTask.nullable().describe('the follow-up task a 差评 opened for a department’s supervising official; null when there is none, or none that reached a department'),
});
export const followUpTasksResponse = z.strictObject({ canClose: z.boolean(), tasks: z.array(followUpTask) });

export const healthResponse = z.strictObject({ status: z.enum(['ok', 'degraded']), database: z.string(), temporal: z.string() });

export const checkpointListResponse = z.strictObject({ keyId: z.string().nullable(), publicKey: z.string().nullable(), checkpoints: z.array(freeForm('a signed checkpoint')) });
export const checkpointCreatedResponse = z.strictObject({ created: z.boolean(), checkpoint: freeForm('the signed checkpoint') });

const auditedEvent = z.strictObject({
  version: z.int(),
  position: z.union([z.string(), z.int()]),
  eventId: z.string(),
  type: z.string(),
  schemaVersion: z.int(),
  recordedAt: instant,
  actor: actor.nullable().optional(),
  correlationId: z.string().nullable().optional(),
  causationId: z.string().nullable().optional(),
  workflowId: z.string().nullable(),
  data: freeForm('the event’s payload, as its type defines it'),
  prevHash: z.string(),
  hash: z.string(),
  hashVersion: z.union([z.literal(1), z.literal(2)]).describe('which definition the hash follows: 1, SHA-256 of the canonical JSON of the event; 2, computed by the database over its own text of data and metadata (tools/verify-bundle.mjs recomputes both)'),
});

export const auditedEventsResponse = z.strictObject({
  caseId: uuid,
  caseType: z.string(),
  events: z.array(auditedEvent),
});

/** Who an account is, as administrators assign it. */
const assignment = z.strictObject({ role, department: z.string().nullable(), duties: z.array(z.string()), applicantKind: z.enum(['individual', 'company']).nullable() });
const accountActor = z.strictObject({ accountId: z.string(), displayName: z.string() });

/** A grant that waits for a second administrator (api/routes/accounts.routes.ts). */
export const accountGrantResponse = z.strictObject({
  grantId: z.string(),
  username: z.string(),
  kind: z.enum(['creation', 'change', 'reset', 'enable']).describe('creation, change: a role; reset: a privileged account’s password reset (its code works once approved); enable: a privileged account enabled again'),
  before: assignment.nullable(),
  after: assignment,
  afterDescribed: z.string().describe('the assignment in words'),
  reasons: z.array(z.string()).describe('why it needs a second administrator'),
  status: z.enum(['pending', 'approved', 'refused']),
  requestedBy: accountActor,
  requestedAt: instant,
  decidedBy: accountActor.nullable(),
  decidedAt: instant.nullable(),
  refusalReason: z.string().nullable(),
});

/** An account as administrators see it: never a password hash, never personal data. */
export const adminAccountResponse = z.strictObject({
  ...accountSummary,
  createdAt: instant,
  passwordSet: z.boolean().describe('whether its holder has set a password with a one-time sign-in code'),
  disabled: z.strictObject({ at: instant, reason: z.string().nullable() }).nullable(),
  pendingGrant: accountGrantResponse.nullable(),
  signInLockedUntil: instant
    .optional()
    .describe('in the list only, while wrong passwords have locked the username for browsers without its device cookie: until when (setting a new password with a one-time code lifts it)'),
  signInLockedBrowsers: z
    .strictObject({ count: z.int().min(1), until: instant })
    .optional()
    .describe('in the list only, while browsers that signed in as it before have locked themselves with wrong passwords (each its own lock): how many, and until when the last stays locked (setting a new password with a one-time code lifts them)'),
});

/** A one-time sign-in code, shown to the administrator once, to hand to the account's holder. */
const signInCode = z.strictObject({ code: z.string(), link: z.string(), expiresAt: instant, note: z.string() });

export const adminAccountListResponse = z.strictObject({ accounts: z.array(adminAccountResponse) });
export const adminAccountResponseWithCode = z.strictObject({ account: adminAccountResponse, signIn: signInCode });
export const adminAccountChangeResponse = z.strictObject({ account: adminAccountResponse, applied: z.boolean(), grant: accountGrantResponse.nullable() });
export const adminAccountOnlyResponse = z.strictObject({ account: adminAccountResponse });
export const accountGrantListResponse = z.strictObject({ grants: z.array(accountGrantResponse) });
export const accountGrantDecisionResponse = z.strictObject({ grant: accountGrantResponse, account: adminAccountResponse });
export const activationResponse = z.strictObject({ username: z.string(), canSignIn: z.boolean(), message: z.string() });
/** GET /api/audit/accounts/changes: what administrators (and holders) did to accounts, newest first. */
export const accountChangesResponse = z.strictObject({
  changes: z.array(
    z.strictObject({
      position: z.int().describe('the event’s place in the whole log (global position): page on with before='),
      at: z.string().describe('ISO instant it was recorded'),
      username: z.string(),
      type: z.string(),
      summary: z.string().describe('the change in words (zh-CN)'),
      by: z.strictObject({ accountId: z.string(), displayName: z.string() }).nullable().describe('who did it: the administrator who asked, approved or refused, the holder, or the system'),
    }),
  ),
  next: z.int().nullable().describe('before= for the next (older) page; null at the first change'),
});

export const accountEventsResponse = z.strictObject({
  username: z.string(),
  streamId: z.string(),
  events: z.array(auditedEvent),
  chain: z.looseObject({ intact: z.boolean() }).describe('intact, or where the hash chain breaks'),
  warnings: z.array(z.string()),
});

/** GET /api/progress (办件进度查询, public): where a case stands, without anything personal — no names, no amounts, no applicant data. */
export const progressResponse = z.strictObject({
  referenceNo: z.string(),
  programme: z.string().describe('zh-CN name of the programme (the measure of the catalogue, for an application)'),
  currentStep: z.string().describe('zh-CN label of the step the case is at'),
  finished: z.boolean().describe('true once the case has ended (decided, withdrawn, repaid …)'),
  nextActor: z.string().nullable().describe('who acts next, in words: 申请人 or the department (never a person); null when nobody does'),
  deadline: z
    .strictObject({
      dueOn: date,
      text: z.string().describe('the due day in Chinese form: 2026年12月15日'),
      provisional: z.boolean().describe('true while the day depends on a year whose holiday arrangement is not loaded (暂定): it is set again once the arrangement is loaded'),
      term: z.enum(['办理期限', '下一期应还日', '下一笔发放']).describe("what the day is: the step's time limit (办理期限), a 雏鹰 borrower's next instalment (下一期应还日, whoever moves next), or a payment's day (下一笔发放)"),
    })
    .nullable()
    .describe('the day by which the next act is due, if the step has one'),
  submittedOn: date.describe('the day the case was submitted: a day past, never provisional'),
  submittedText: z.string().describe('the submission day in Chinese form'),
  timeline: z
    .array(z.strictObject({ step: z.string().describe('zh-CN label of the step reached'), on: date, text: z.string().describe('the day in Chinese form') }))
    .describe('each step the case reached, in order, with the day it reached it: days past, never provisional'),
});

const filingCategory = z.enum(['ordinary', 'key']).describe('普通 (ordinary) or 重点 (key) micro-drama; source 004 promises the working-day review time for 普通 only');

/** The queue: a 重点 filing's round has no deadline (its deadline fields are null) and is marked 重点. */
export const filingQueueResponse = z.strictObject({
  asOf: z.string(),
  total: z.int().describe('how many filings the filters match, on every page'),
  limit: z.int(),
  offset: z.int(),
  filings: z.array(
    z.strictObject({
      caseId: uuid,
      referenceNo: z.string(),
      filingType: z.string(),
      title: z.string(),
      applicantName: z.string().describe('the account that filed it'),
      producer: z.string().describe('the 制作机构 as filed'),
      producerNote: z.string().nullable().describe('set where the 制作机构 is not the applicant’s own: a company registered to another account, or not the company the account is registered as'),
      round: z.int(),
      status: z.string(),
      statusLabel: z.string(),
      version: z.int(),
      category: filingCategory,
      categoryLabel: z.string().describe('普通微短剧 or 重点微短剧'),
      reviewer: z.strictObject({ accountId: z.string(), displayName: z.string().nullable() }).nullable(),
      submittedAt: z.string(),
      lastWorkingDay: date.nullable().describe('null for a 重点 filing: no promised review time'),
      deadline: z.string().nullable().describe('null for a 重点 filing: no promised review time'),
      provisional: z.boolean(),
      workingDaysLeft: z.int().nullable().describe('null for a 重点 filing: no promised review time'),
      reminded: z.boolean(),
      breached: z.boolean(),
      escalated: z.boolean(),
    }),
  ),
});

/** The SLA statistics: the promise's figures count 普通 filings; 重点 ones, which have none, are counted apart. */
export const filingSlaResponse = z.strictObject({
  months: z.array(
    z.strictObject({
      month: z.string(),
      filings: z.int().describe('普通 filings (each submission or resubmission starts one review)'),
      decided: z.int(),
      open: z.int(),
      onTime: z.int(),
      onTimePercent: z.number().nullable(),
      breaches: z.int(),
      medianReviewWorkingDays: z.number().nullable(),
      key: z
        .strictObject({ filings: z.int(), decided: z.int(), open: z.int(), medianReviewWorkingDays: z.number().nullable() })
        .describe('重点 filings: no promised time, so no on-time figures or breaches'),
    }),
  ),
});
