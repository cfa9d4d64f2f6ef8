import { ApplicationFailure } from '@temporalio/common';
import { findProgrammeAt } from '../domain/applications/terms.js';
import { DomainError, type FieldIssue } from '../domain/errors.js';
import type { FactKeys, FactSource } from '../domain/registers/answer-facts.js';
import type { ApplicationFacts, FactName } from '../domain/programmes/programme.js';
import type { LocalDate } from '../domain/time/local-date.js';
import { lookUpRegisterFacts } from '../db/registers/register-store.js';
import type { Db } from '../db/client.js';

export interface RegisterFactsInput {
  catalogueVersion: string;
  programmeId: string;
  facts: ApplicationFacts;
  keys: FactKeys;
  on: LocalDate;
}

/** The registers' answers, or why the application cannot be answered (an organisation without its 统一社会信用代码). */
export type RegisterFactsAnswer =
  | { ok: true; facts: ApplicationFacts; sources: Partial<Record<FactName, FactSource>> }
  | { ok: false; message: string; issues: FieldIssue[] };

/**
 * What applications ask of the departments' registers. The answer lands in workflow history: an
 * entry added or ended later does not change how the case replays, and the case keeps which entry
 * answered each fact.
 */
export function createRegisterActivities({ db }: { db: Db }) {
  return {
    async lookUpRegisterFacts(input: RegisterFactsInput): Promise<RegisterFactsAnswer> {
      const programme = findProgrammeAt(input.catalogueVersion, input.programmeId);
      if (!programme) throw ApplicationFailure.create({ type: 'validation', message: `no programme ${input.programmeId} in catalogue version ${input.catalogueVersion}`, nonRetryable: true });
      try {
        const { problems, ...answers } = await lookUpRegisterFacts(db, { requiredFacts: programme.requiredFacts, facts: input.facts, keys: input.keys, on: input.on });
        // A 备案号 no filing of the system has, or another applicant's: refused at its field, as the API refuses it first.
        if (problems && problems.length > 0) return { ok: false, message: `${programme.name.zh}不予受理：${problems.map((p) => p.message).join('；')}`, issues: problems };
        return { ok: true, ...answers };
      } catch (error) {
        // A refusal by the rules is an answer, recorded as such; anything else (the database) is retried.
        if (error instanceof DomainError) return { ok: false, message: error.message, issues: [...error.issues] };
        throw error;
      }
    },
  };
}

export type RegisterActivities = ReturnType<typeof createRegisterActivities>;
