import type { NewEvent } from '../../db/event-store.js';
import type { DramaFilingEvent, DramaSubmission } from '../../domain/drama-filing/events.js';
import { dramaFilingTerms, type DramaFilingType } from '../../domain/drama-filing/terms.js';
import type { DramaFilingWorkflowInput } from '../../workflows/drama-filing.messages.js';
import { parseLocalDate } from '../../domain/time/local-date.js';
import { applicant, filingReviewer } from './actors.js';

export const dramaSubmission = (overrides: Partial<DramaSubmission> = {}): DramaSubmission => ({
  title: '外滩往事',
  producer: '上海星河文化传媒有限公司',
  episodeCount: 80,
  episodeLengthMinutes: 2,
  aiGenerated: true,
  synopsis: '一个 AI 生成的外滩爱情故事',
  platform: '抖音',
  ...overrides,
});

export function filingInput(filingType: DramaFilingType, overrides: Partial<DramaFilingWorkflowInput> = {}): DramaFilingWorkflowInput {
  const caseId = overrides.caseId ?? crypto.randomUUID();
  return {
    caseId,
    referenceNo: `BA-TEST-${caseId.slice(0, 8)}`,
    filingType,
    applicant,
    submission: dramaSubmission(),
    terms: dramaFilingTerms(filingType),
    requestId: crypto.randomUUID(),
    ...overrides,
  };
}

/** Polls (in real time, which the time-skipping server does not skip) until `check` returns a value. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An actor as a filing's events name one: id and name. */
export const actorRef = (a: { accountId: string; displayName: string }) => ({ accountId: a.accountId, displayName: a.displayName });

/** A filing's events as an append takes them, recorded by the reviewer (the migration tests append them straight to the store). */
export const asNewFilingEvents = (events: DramaFilingEvent[], caseId: string): NewEvent[] =>
  events.map((event) => ({ eventId: crypto.randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { actor: filingReviewer, correlationId: caseId, causationId: crypto.randomUUID() } }));

/** A 2-working-day planning filing submitted on 2026-11-02, as its first event. */
export function planningFilingSubmitted(caseId: string): DramaFilingEvent {
  return {
    type: 'FilingSubmitted',
    data: {
      caseId,
      referenceNo: `BA-2026-${caseId.slice(0, 6)}`,
      filingType: 'drama-planning-filing',
      applicant: actorRef(applicant),
      submission: dramaSubmission(),
      submittedAt: '2026-11-02T02:00:00.000Z',
      submittedOn: parseLocalDate('2026-11-02'),
      deadline: { workingDays: 2, lastWorkingDay: parseLocalDate('2026-11-04'), deadlineAt: '2026-11-04T16:00:00.000Z', provisional: false },
      terms: dramaFilingTerms('drama-planning-filing'),
    },
  } as DramaFilingEvent;
}
