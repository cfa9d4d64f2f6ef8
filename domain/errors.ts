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

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (message: string, issues: FieldIssue[] = []) => new DomainError('validation', message, issues);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const illegalState = (message: string) => new DomainError('illegal-state', message);
export const notFound = (message: string) => new DomainError('not-found', message);
