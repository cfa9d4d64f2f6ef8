/**
 * Errors that carry the rule that was broken. Each kind maps mechanically to one HTTP status
 * and to one Temporal ApplicationFailure type, so a refusal reads the same wherever it surfaces.
 */
export type DomainErrorKind = 'validation' | 'forbidden' | 'illegal-state' | 'not-found' | 'concurrency' | 'conflict';

export interface FieldIssue {
  field: string;
  /** Plain Chinese, specific to the field. */
  message: string;
  /** What kind of check refused it (zod's issue code, or the rule's name): stable for API clients. */
  code?: string;
  /** The same in English, for logs and clients that ask for it with Accept-Language. */
  english?: string;
}

/** The numbers and names a refusal states, for clients that word it themselves: money in fen, dates as YYYY-MM-DD. */
export type RefusalParams = Readonly<Record<string, string | number | boolean | null>>;

/**
 * A refusal in words, from one place: the rule's stable name (what API clients key on), the plain
 * Chinese a person reads (amounts in 元, dates as 2027年1月1日, steps and fields by their labels) and
 * the English kept for logs and clients that ask for it with Accept-Language.
 */
export interface Wording {
  /** The rule's name, e.g. `director-approval-required`: stable across wording changes. */
  code: string;
  zh: string;
  en: string;
  params?: RefusalParams;
}

export class DomainError extends Error {
  /** The rule's name; the kind where a refusal has no name of its own yet. */
  readonly code: string;
  /** The message in English; `message` is plain Chinese. */
  readonly english: string;
  readonly params: RefusalParams;

  constructor(
    readonly kind: DomainErrorKind,
    said: string | Wording,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(typeof said === 'string' ? said : said.zh);
    this.name = 'DomainError';
    this.code = typeof said === 'string' ? kind : said.code;
    this.english = typeof said === 'string' ? said : said.en;
    this.params = typeof said === 'string' ? {} : (said.params ?? {});
  }

  /** What travels beside the message through a Temporal failure (its details) to the HTTP answer. */
  get wording(): Wording {
    return { code: this.code, zh: this.message, en: this.english, params: this.params };
  }
}

export const validationError = (said: string | Wording, issues: FieldIssue[] = []) => new DomainError('validation', said, issues);
/** A rule broken, with the field it concerns: one of several told in one answer (一次告知). */
export interface FieldProblem {
  wording: Wording;
  issue: FieldIssue;
}

/**
 * Every problem in one refusal, each at its field: one alone in its own words, several as
 * 请修改以下 N 处：… under `code`. Nothing when there are none.
 */
export function refuseProblems(code: string, problems: readonly FieldProblem[]): void {
  if (problems.length === 0) return;
  if (problems.length === 1) throw validationError(problems[0]!.wording, [problems[0]!.issue]);
  throw validationError(
    { code, zh: `请修改以下 ${problems.length} 处：${problems.map((p) => p.wording.zh.replace(/。$/, '')).join('；')}。`, en: problems.map((p) => p.wording.en).join('; ') },
    problems.map((p) => p.issue),
  );
}
export const forbidden = (said: string | Wording) => new DomainError('forbidden', said);
export const illegalState = (said: string | Wording) => new DomainError('illegal-state', said);
export const notFound = (said: string | Wording) => new DomainError('not-found', said);
/** No event stream for the case id asked about (the auditor's pages take any id typed into them). */
export const caseNotFound = (caseId: string) => notFound({ code: 'not-found', zh: `没有编号为 ${caseId} 的办件：请检查编号，或从案件列表打开。`, en: `no case ${caseId}`, params: { caseId } });
export const conflict = (said: string | Wording, issues: FieldIssue[] = []) => new DomainError('conflict', said, issues);

/** What a person reads when a check fails that no request of theirs can fail. */
export const INTERNAL_CHECK_ZH = '系统内部核对未通过，本次办理没有记录。请稍后重试；仍不成功的，请联系系统管理员。';

/**
 * A check of the system's own bookkeeping (a look-up the workflow makes before it decides, an id it
 * assigns, a recorded history that must agree with itself): no person's request can fail it, so its
 * detail stays in English for the log, and whoever meets it anyway reads a plain apology.
 */
export const internalCheck = (english: string) => new DomainError('illegal-state', { code: 'internal-check-failed', zh: INTERNAL_CHECK_ZH, en: english });

/** One rule in two uses: the error a decider refuses with, and the reason shown beside a disabled action. */
export interface Refusal {
  error: DomainError;
  zh: string;
}

export function refusal(kind: DomainErrorKind, said: Wording): Refusal {
  return { error: new DomainError(kind, said), zh: said.zh };
}

/** A Wording read back from a failure's details (JSON through Temporal), or undefined if it is not one. */
export function wordingOf(value: unknown): Wording | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const w = value as Partial<Wording>;
  if (typeof w.code !== 'string' || typeof w.zh !== 'string' || typeof w.en !== 'string') return undefined;
  const params = w.params && typeof w.params === 'object' && !Array.isArray(w.params) ? w.params : {};
  return { code: w.code, zh: w.zh, en: w.en, params };
}
