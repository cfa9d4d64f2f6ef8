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

/**
 * Whether the drama is 普通 (ordinary) or 重点 (key), as the producer files it (issue 14). Source 004
 * promises "工作日随报随审，规划备案2个工作日内、完成片上线备案5个工作日内完成审核并反馈" for 普通
 * 微短剧 only and says nothing of the time in which a 重点 drama's filing is reviewed: a 重点 filing
 * gets no promised deadline (no reminder, no breach, no escalation), and the case says so.
 */
export const DRAMA_CATEGORIES = { ordinary: '普通微短剧', key: '重点微短剧' } as const;

export type DramaCategory = keyof typeof DRAMA_CATEGORIES;

export const DRAMA_CATEGORY_NAMES = Object.keys(DRAMA_CATEGORIES) as DramaCategory[];

/** A filing recorded before the category was asked is 普通, as every filing was treated then. */
export function categoryOf(submission: { category?: DramaCategory } | undefined): DramaCategory {
  return submission?.category ?? 'ordinary';
}

/** Whether source 004's working-day promise applies to a drama of this category. */
export function promisesReviewDeadline(category: DramaCategory): boolean {
  return category === 'ordinary';
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
