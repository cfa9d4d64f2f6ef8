import type { DramaSubmission } from '../../domain/drama-filing/events.js';
import { dramaFilingTerms, type DramaFilingType } from '../../domain/drama-filing/terms.js';
import type { DramaFilingWorkflowInput } from '../../workflows/drama-filing.messages.js';
import { applicant } from './actors.js';

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
