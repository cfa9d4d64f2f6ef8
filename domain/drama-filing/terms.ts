import type { Department } from '../cases/actor.js';

/**
 * The two micro-drama filings of AI 微短剧 沪8条 (DOMAIN.md, source 004) and their review promise
 * ("工作日随报随审"): feedback on a planning filing within 2 working days, on a completed-film
 * online filing within 5. A case records the terms it opened under and keeps them for life.
 */
export const DRAMA_FILING_TYPES = {
  'drama-planning-filing': { zh: '微短剧规划备案', en: 'Micro-drama planning filing', workingDays: 2 },
  'drama-release-filing': { zh: '微短剧完成片上线备案', en: 'Micro-drama completed-film online filing', workingDays: 5 },
} as const;

export type DramaFilingType = keyof typeof DRAMA_FILING_TYPES;

export const DRAMA_FILING_TYPE_NAMES = Object.keys(DRAMA_FILING_TYPES) as DramaFilingType[];

export function isDramaFilingType(value: string): value is DramaFilingType {
  return Object.hasOwn(DRAMA_FILING_TYPES, value);
}

export interface DramaFilingTerms {
  termsVersion: string;
  filingType: DramaFilingType;
  /** "Reviewed with feedback within N working days". */
  reviewWorkingDays: number;
  /** Who reviews: 市文旅局. */
  reviewingDepartment: Department;
}

export function dramaFilingTerms(filingType: DramaFilingType): DramaFilingTerms {
  return {
    termsVersion: '沪8条-2025',
    filingType,
    reviewWorkingDays: DRAMA_FILING_TYPES[filingType].workingDays,
    reviewingDepartment: 'culture-tourism',
  };
}
