import type { z } from 'zod';
import type { ApplicationActivities } from '../activities/applications.activities.js';
import type { CalendarActivities } from '../activities/calendar.activities.js';
import type { CallActivities } from '../activities/calls.activities.js';
import type { CaseActivities } from '../activities/case-events.activities.js';
import type { RegisterActivities } from '../activities/registers.activities.js';
import type { Actor, Department, OfficialDuty } from '../domain/cases/actor.js';
import type { RecomputeReason } from '../domain/cases/calendar-load.js';
import type { LetterContent } from '../domain/decisions/letter.js';
import type { DomainError, FieldIssue } from '../domain/errors.js';
import type { LedgerStanding } from '../domain/programmes/stacking.js';
import type { LocalDate } from '../domain/time/local-date.js';

/**
 * A case type is one module: everything the system knows about one kind of case, declared in one
 * place and read by one driver (workflows/case.workflow.ts), one action route, one read model and
 * the web UI. A module is pure: no I/O, no clock, no Temporal; what it must look up before
 * deciding it asks for through `CaseLookups`, which the driver answers with activities.
 *
 * The shape is Emmett's decider — `initialState`, `evolve`, `decide(command, state, context)` —
 * plus what a programme office needs around it: who may take each action, its label, its body,
 * the statuses with their labels, who acts next, and the time thresholds.
 */
export interface CaseModule<State extends CaseStateBase = CaseStateBase, Event extends DecidedEvent = DecidedEvent, Command extends { type: string } = { type: string }, Input extends CaseInputBase = CaseInputBase> {
  /** `cases.case_type` and the URL segment of its opening route; a module may own several stream types (the two drama filings). */
  readonly caseType: string;
  /** The stream types it owns (`streams.stream_type`, `cases.case_type`). */
  readonly streamTypes: readonly string[];
  /** The stream type of one case (a filing's depends on its kind). */
  streamTypeOf(input: Input): string;
  /** Its Temporal workflow type: kept from before issue 11, since running cases and recorded histories name it. */
  readonly workflowType: string;
  /** The query that answers the live state (tests, the auditor's replay). */
  readonly stateQuery: string;
  /** zh-CN name of the case type (the programme's, for single-programme types). */
  readonly name: string;

  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly isTerminal: (state: State) => boolean;
  /**
   * Whether the case's `applicant` applied for it (an application, a loan, a filing, the applicant a
   * recovery is against), so that they may take no official's step on it (domain/cases/own-case.ts);
   * false where the case's "applicant" is the official who opened it (a call).
   */
  readonly appliedFor?: false;

  /** The events that open a case, after any look-ups the opening needs. Throws a DomainError to refuse it. */
  open(input: Input, ask: DecisionSupport): Promise<Event[]>;

  /** The actions people take, in the order the UI offers them. */
  readonly actions: readonly CaseAction<State, Command>[];
  /**
   * Throws a DomainError unless the whole command may be taken now by this actor: the decider's
   * own checks, run by the update's validator and again before deciding. `legacy` is true while a
   * history recorded before the action's `legacyBeforePatch` replays.
   */
  check(state: State, command: Command, context: CheckContext): void;
  /** The events a command records; `prepared` is what `prepare` looked up. */
  decide(command: Command, state: State, context: DecideContext): Event[];
  /** Look-ups an action needs before it is decided (a repayment schedule, a ledger check). */
  prepare?(command: Command, state: State, ask: DecisionSupport): Promise<Record<string, unknown>>;
  /**
   * A repeat of a command already recorded (the same bank reference, amount and date): the driver
   * answers it with the first record and records nothing. Throws when it conflicts with that record.
   */
  repeatOf?(state: State, command: Command): unknown;

  /** The next instant at which time alone changes the case, and what it records then. */
  nextThreshold(state: State): number | undefined;
  /** `prepared` is what `prepareThreshold` looked up (nothing when the module has none). */
  onThreshold(state: State, now: number, prepared?: Record<string, unknown>): Event[];
  /**
   * Look-ups what time records needs (how many applications a call has open at its planned close),
   * in the same turn as the record; undefined when nothing needs looking up. A module asks only
   * where it needs to, behind its own patch: where it asks nothing, the record is made at once, as
   * in histories recorded before this hook.
   */
  prepareThreshold?(state: State, now: number, ask: DecisionSupport): Promise<Record<string, unknown>> | undefined;

  /**
   * The decision letter (决定书) an event records — an approval, a rejection, a withdrawal — or
   * undefined for an event that decides nothing. `stateAfter` is the case once every event of the
   * decision is folded (an award's amount is known); `position` is the event's stream version.
   * The driver renders and stores the letter and stamps `letter: { letterId, letterNo, sha256 }`
   * into the event's data, so the PDF's hash is in the hash chain (domain/decisions/). A change to
   * what a letter says is asked for by `ask.patched` (only where that letter is due), so a history
   * recorded before it replays with the letter it recorded.
   */
  decisionLetter?(event: Event, stateAfter: State, position: number, ask: Pick<DecisionSupport, 'patched'>): LetterContent | undefined;
  /**
   * What must follow once events are recorded, outside this case: telling other cases (a call's batch
   * decision reaching each application in it). Runs in the workflow after the append, through
   * activities (`ask.lookups`), so it is retried until done and its answers are in history. Only
   * for events that need it: a module that returns without asking anything adds nothing to history.
   */
  afterRecorded?(events: readonly Event[], stateAfter: State, ask: DecisionSupport): Promise<void>;
  /**
   * The promised time limit (承诺时限) of the step the case has just reached, where the module
   * promises one there and none runs yet: the driver counts it in working days by the look-up and
   * records `TimeLimitStarted` after the events that brought the case there (behind
   * STEP_LIMIT_ON_ARRIVAL_PATCH). The module's evolve, thresholds and next step then treat it as any
   * limit of domain/time-limits. Steps whose limit is decided with the action that reaches them
   * (the loan's and applications' reviews) keep deciding it themselves.
   */
  limitOnArrival?(state: State, now: number): LimitOnArrival | undefined;

  /**
   * When a working-day calendar year is loaded: count again (via look-ups) what was provisional and,
   * where `corrections` (RECOUNT_CORRECTIONS_PATCH), what was counted through that year on an
   * arrangement the load corrects (domain/time/recount.ts).
   */
  readonly calendar?: {
    /** Histories before this patch did nothing on the signal. */
    readonly sincePatch?: string;
    recompute(state: State, reason: RecomputeReason, ask: DecisionSupport, corrections?: boolean): Promise<Event[]>;
  };

  /** Statuses with their zh-CN labels. */
  readonly statuses: Readonly<Record<string, string>>;
  /** zh-CN titles of its events, for timelines and the audit view (types before issue 11 keep theirs in web/src/events-text.ts). */
  readonly eventLabels?: Readonly<Record<string, string>>;
  /** Who acts next and by when, in words for people. */
  nextStep(state: State): NextStep;
  /** What an operator finds the case by in Temporal. */
  searchView(state: State, input: Input): CaseSearchView;
  /** How the case is named in a refusal: "办件 CY-2026-000001" for people, "case CY-2026-000001" in English. */
  describe(state: State): { zh: string; en: string };
  /** Details a refusal carries to the API (the first record, for a conflicting bank reference). */
  refusalDetails?(error: DomainError): unknown;

  /**
   * false for a case nobody applied for and nobody follows from outside (a call, which officials
   * run): it has no 查询码, and 办件进度查询 does not find it.
   */
  readonly progressLookup?: false;
  /** How the case is opened through the one opening route (POST /api/cases/<caseType>); types opened by their own routes leave it out. */
  readonly opening?: CaseOpening<Input>;
  /**
   * The case's row in the read model — its own columns, the departments that see it, and its
   * `details`, the view model people see. The one case projection (db/projections/case.projection.ts)
   * writes it; the loan, application and filing projections build their `cases` row from it and add
   * their own tables (instalments, filing reviews, the awards ledger).
   */
  readModel?(state: State): CaseReadModel;
  /** What people see of the case, from its read-model row alone (never the decider's state). */
  view?(row: CaseRow): Record<string, unknown>;
  /**
   * What an official of another department, who sees the case for a step of its own (网信's content
   * review of a loan), reads of it: not the office's own business. Absent: the case as its officials read it.
   */
  readonly outsideTheOffice?: {
    details(details: Record<string, unknown>): Record<string, unknown>;
    event<E extends { type: string; data: unknown }>(event: E): E;
    /**
     * true: what the office's officials attach as internal (a loan's 征信报告) is the office's, and
     * the other department reads it as the applicant does (that one was attached), save what its own
     * officials attached. false: it reads them all, as an official of the case's own department.
     */
    readonly internalAttachmentsStayInTheOffice: boolean;
  };
}

/** The limit a step starts with on arrival: which step, whose officials act, for how many working days, from when. */
export interface LimitOnArrival {
  step: { step: string; stepLabel: string; department: Department };
  workingDays: number;
  /** The first day counted; the day of arrival when absent (a call's panel counts from the call's close). */
  startedOn?: LocalDate;
}

/** A case type opened by the one opening route. */
export interface CaseOpening<Input> {
  readonly who: ActionGrant;
  readonly summary: string;
  /** The body of the opening request. */
  readonly body: z.ZodObject;
  /** The reference number's prefix (`ZH-2026-000001`). */
  readonly referencePrefix: string;
  /** The body field naming the case this one is opened against; the route reads that case, which the account must be able to see. */
  readonly againstCaseField?: string;
  /** At most one case per this key (one recovery per award): a second opening answers with the first case. */
  readonly oneCasePer?: (body: Record<string, unknown>) => string;
  /** The workflow input, or a DomainError saying why the case cannot be opened. */
  toInput(body: Record<string, unknown>, context: OpeningContext): Input;
  /**
   * Whether a case of this type can be opened against `source` (shown on the source case to those
   * who may open it): its label, a line of explanation and the form's starting values.
   */
  offer?(source: NonNullable<OpeningContext['source']>): { label: string; explain: string; prefill: Record<string, unknown> } | undefined;
}

export interface OpeningContext {
  caseId: string;
  referenceNo: string;
  requestId: string;
  /** Who opens it (an official opening a recovery; the applicant opening their application). */
  opener: Actor;
  now: number;
  /** The case it is opened against, as its own module's read model shows it. */
  source?: { caseId: string; caseType: string; referenceNo: string; applicant: { accountId: string; displayName: string }; department: string | null; programmeId: string | null; state: unknown };
}

/** A write to a read-model table other than `cases` (the awards ledger), in the event store's shape. */
export interface TableWrite {
  op: 'upsert' | 'update' | 'delete';
  table: string;
  key: readonly string[];
  rows: readonly Record<string, unknown>[];
}

/** A case's read-model columns, as its module declares them. */
export interface CaseReadModel {
  referenceNo: string;
  applicantAccountId: string;
  applicantName: string;
  status: string;
  statusLabel: string;
  waitingFor: { role: string; department?: string | null } | null;
  requestedFen: number;
  approvedFen: number | null;
  outstandingFen: number;
  nextDeadlineAt: string | null;
  programmeId: string | null;
  department: string | null;
  /** The departments whose officials see the case: the one that acts, and 网信 where it reviews the content. */
  departments: readonly string[];
  sourceCaseId: string | null;
  decidedOn: string | null;
  /** The view model people see (the module's `view` reads it): stable, typed by the module. */
  details: Record<string, unknown>;
  /** Other read-model tables the case writes. */
  writes?: TableWrite[];
}

/** A case's read-model row as the API reads it. */
export interface CaseRow {
  case_id: string;
  reference_no: string;
  case_type: string;
  applicant_account_id: string;
  applicant_name: string;
  status: string;
  status_label: string;
  waiting_for_role: string | null;
  waiting_for_department: string | null;
  requested_fen: number;
  approved_fen: number | null;
  outstanding_fen: number;
  next_deadline_at: Date | null;
  version: number;
  opened_at: Date;
  updated_at: Date;
  programme_id: string | null;
  decided_on: string | null;
  details: Record<string, unknown> | null;
  source_case_id: string | null;
  department: string | null;
  departments: string[];
}

/** Every case state knows its version, reference number and applicant. */
export interface CaseStateBase {
  version: number;
  status: string;
  referenceNo?: string;
  applicant?: { accountId: string; displayName: string };
}

export interface DecidedEvent {
  type: string;
  data: unknown;
}

/** What every case's workflow input carries. */
export interface CaseInputBase {
  caseId: string;
  referenceNo: string;
  /** Whose case it is. */
  applicant: Actor;
  /** Who opened it, when not the applicant (an official opening a recovery): the opening events' actor. */
  openedBy?: Actor;
  requestId: string;
}

/**
 * What the API read beside a case's state for the forms of its actions: facts of other cases that
 * change what a form should start with or say (the applicant's awards against the measure's yearly
 * cap). Only the forms use it; the decider checks the same facts itself when the action is sent.
 */
export interface ActionFormContext {
  ledger?: LedgerStanding;
  /** Who the form is for (a prefill may depend on what they may decide). */
  actor?: Actor;
}

/** A field's limit at one case (CaseAction.fieldLimits): in the action's JSON Schema as `maximum`, `requiredBelow` and `requiredWhen`. */
export interface FieldLimit {
  maximum?: number;
  /** Required while the named money field is below this many fen. */
  requiredBelow?: { field: string; fen: number };
  /** Required while the named choice has this value (the amount an award is cut to, once 调低 is chosen). */
  requiredWhen?: { field: string; equals: string };
}

/**
 * One action of a case type: its URL name and Temporal update name, its body, who may take it
 * (as data: the route's grant), its zh-CN label, and how the body becomes the decider's command.
 */
export interface CaseAction<State = unknown, Command extends { type: string } = { type: string }> {
  /** The URL name: POST /api/cases/:caseId/<name>. */
  readonly name: string;
  /** The decider's command type. */
  readonly type: Command['type'];
  /** The Temporal update's name: kept from before issue 11, since recorded histories name it. */
  readonly update: string;
  /** zh-CN label of the action (its heading in the UI, its name in the audit view). */
  readonly label: string;
  /** What the button says, when not the label. */
  readonly submit?: string;
  /** zh-CN message once it is done. */
  readonly done: string;
  /**
   * Its words at a step where the same action means something else to the one taking it (the
   * borrower's 撤回申请 is 放弃借款 once the loan is approved): the label, button and message there.
   */
  readonly wordedAt?: (state: State) => { label: string; submit?: string; done: string; fieldTitles?: Readonly<Record<string, string>> } | undefined;
  /** A refusal or a closing: the UI shows it in the danger tone. */
  readonly tone?: 'danger';
  /**
   * Money recorded as moved (a disbursement, a payout, a repayment): the page asks before it sends
   * it, as it asks before a refusal, a closing or an approval (api/views/available-actions.ts asksFirst).
   */
  readonly asksFirst?: true;
  /** The steps (statuses) at which it can be taken at all. */
  readonly at: readonly string[];
  /**
   * Whether the action concerns this case at all, at its step (leaving 杨浦 stops only 杨浦's monthly
   * subsidies: a one-off award waiting to be paid offers no 报告迁离杨浦). Not listed when false, not
   * even disabled; the decider refuses it all the same. Absent: every case at the step.
   */
  readonly concerns?: (state: State) => boolean;
  /** Values the form starts with, from the case (the requested amount, the items to answer) and what the API read beside it. */
  readonly prefill?: (state: State, context?: ActionFormContext) => Record<string, unknown>;
  /** Fields of the body the form does not ask at this case (a service's approval pays nothing, so asks no amount). */
  readonly notAsked?: (state: State) => readonly string[];
  /**
   * Limits of its fields at this case, told by the form before anything is sent (and before the
   * confirmation of a decision): an amount's `maximum` in fen, and a field asked only when another
   * is below an amount (the reasons for a cut). The decider checks them again; these only say them
   * early (an approver confirmed “不能撤销” and was then told the amount was above the request).
   */
  readonly fieldLimits?: (state: State) => Readonly<Record<string, FieldLimit>>;
  /**
   * Fields the form asks as a choice among what the case holds (an objection to answer, by when it came
   * and what it says), each value with its words: an official picks one, never copies an id.
   */
  readonly choices?: (state: State) => Readonly<Record<string, readonly { value: string; label: string }[]>>;
  /** A line of explanation above the form, from the case ("放款金额为核定金额 …") and, where it matters, for the one who will act. */
  readonly explain?: (state: State, actor?: Actor, context?: ActionFormContext) => string | undefined;
  /** One line for the OpenAPI document: who does it and what it does. */
  readonly summary: string;
  /**
   * The body, without `expectedVersion` (the route adds it). Each field carries `.meta({ title, description })`
   * in Chinese (the form's label and hint); money fields `.meta({ unit: 'fen' })`, shown in yuan.
   */
  readonly body: z.ZodObject;
  readonly toCommand: (body: Record<string, unknown>) => Command;
  /** Who may take it, as the route grants it; the case's own rules (four-eyes, recusal) are `availability`'s. */
  readonly who: ActionGrant;
  /**
   * Why this actor may not take the action now, in plain Chinese — the step, the applicant's own
   * case, four-eyes, recusal — or undefined when they may. The decider's `check` runs the same test.
   */
  readonly availability: (state: State, actor: Actor, now: number) => string | undefined;
  /**
   * Whether this actor has already taken the action at this step and it cannot be taken twice
   * (a filing they hold the claim on, a case they scored): the case page offers it no more. The
   * decider's predicate, so the page and the refusal agree.
   */
  readonly alreadyTaken?: (state: State, actor: Actor) => boolean;
  /** In histories recorded before this patch the action decides by the older rules (`legacy`). */
  readonly legacyBeforePatch?: string;
  /**
   * What is wrong with a body against the case as it stands (a 补正 reply's items against those
   * requested), for the action route to tell with the body's own problems, all at once (一次告知),
   * each at its field. It reads a body that may still be malformed elsewhere. The decider's `check`
   * refuses the same, whoever sends the command.
   */
  readonly caseBodyIssues?: (state: State, body: Record<string, unknown>) => readonly FieldIssue[];
}

/** Who may take an action, before the case's own rules: the applicant of the case, or officials with a duty and department. */
export interface ActionGrant {
  applicant?: true;
  official?: { duties?: readonly OfficialDuty[]; departments?: readonly Department[] };
  /** An external expert (评审专家) on a call's panel; the case's own rules say on which panel. */
  expert?: true;
}

export interface CheckContext {
  actor: Actor;
  now: number;
  legacy: boolean;
  /**
   * Temporal's patched(), where the workflow checks and decides an action (not in its validator,
   * which never replays): for a change to a rule or to what a decider emits that came after the
   * action's `legacyBeforePatch`, asked only where the change applies, so other decisions gain no
   * marker. Absent outside a workflow: the rules of now.
   */
  patched?(changeId: string): boolean;
}

export interface DecideContext extends CheckContext {
  prepared: Record<string, unknown>;
}

/** The look-ups a module may ask for; the driver answers them with activities, so their answers are in history. */
export type CaseLookups = Pick<CaseActivities, 'computeRepaymentSchedule'> &
  Pick<ApplicationActivities, 'assessApplication' | 'claimApplicationItem' | 'computeWorkingDayWindow' | 'computePublicityWindow'> &
  Pick<CalendarActivities, 'computeReviewDeadline'> &
  Pick<CallActivities, 'findOpenCall' | 'callBudget' | 'panelCandidate' | 'panelCandidates' | 'lookUpMemberAccounts' | 'deliverBatchDecision' | 'deliverCallClose' | 'openApplicationCount' | 'closeIntakeAndCount' | 'applicationsBeforePanel' | 'applicationsWithUnverifiedFacts'> &
  Pick<CaseActivities, 'claimChuyingLoan' | 'claimDramaFiling' | 'findMoneyReference'> &
  Pick<RegisterActivities, 'lookUpRegisterFacts'>;

/** What a module's opening, preparation and recomputation get from the driver. */
export interface DecisionSupport {
  lookups: CaseLookups;
  caseId: string;
  /** The workflow clock, read when called (it moves on across an await). */
  now(): number;
  /** A deterministic id (the workflow's uuid4). */
  uuid(): string;
  /**
   * Temporal's patched(): true for a case that runs (or first ran this point) with the change named,
   * false when replaying a history recorded before it. A module gates any new look-up or timer on it.
   */
  patched(changeId: string): boolean;
}

export interface NextStep {
  status: string;
  label: string;
  /** Whose move it is: the applicant, an official's department, or nobody once the case is closed. */
  waitingFor: { role: 'applicant' | 'official'; department?: Department; note: string } | null;
  deadline?: { kind: string; dueOn: string; at: string; provisional: boolean };
}

/** What an operator finds a case by; `nextDeadline` is the next instant at which time alone changes the case. */
export interface CaseSearchView {
  caseType: string;
  status: string;
  referenceNo?: string;
  department?: string;
  programmeId?: string;
  nextDeadline?: number;
}

/** The action of this module with this URL name. */
export function actionNamed<S, C extends { type: string }>(module: { actions: readonly CaseAction<S, C>[] }, name: string): CaseAction<S, C> | undefined {
  return module.actions.find((a) => a.name === name);
}

/** Whether an account is granted an action by role, duty and department (the case's own rules aside). */
export function grantsAction(grant: ActionGrant, account: { role: string; department?: Department; duties?: readonly OfficialDuty[] }): boolean {
  if (account.role === 'applicant') return grant.applicant === true;
  if (account.role === 'expert') return grant.expert === true;
  if (account.role !== 'official' || !grant.official) return false;
  const { duties, departments } = grant.official;
  if (departments && !(account.department && departments.includes(account.department))) return false;
  if (duties && !duties.some((d) => (account.duties ?? []).includes(d))) return false;
  return true;
}
