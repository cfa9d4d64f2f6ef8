/**
 * The separators a number or code is typed with or without: spaces, hyphens and the dashes that pass
 * for them (‐ – — −), the CJK punctuation such fields take (〜 、 。, not 〇 々 〆), quotation marks
 * and ( ) # . / : _ ~ (after NFKC, full-width ones are already these). A bank reference
 * (domain/chuying/money.ts) and a funded item's identifying facts, a loan's contract number say
 * (domain/programmes/stacking.ts), are compared without them: HE-G-001 typed as HEG001 is one loan.
 * db/migrations/2026-12-05T14-00 keeps a frozen copy for money_reference_key.
 */
const SEPARATOR_CLASS = String.raw`[\s\u00B7\u2010-\u2015\u2018\u2019\u201C\u201D\u2026\u2212\u3000-\u3004\u3008-\u303F\uFE58\uFE63()#./:_~-]`;

/** The same class as a PostgreSQL pattern, for regexp_replace: its advanced expressions read these escapes alike. */
export const TYPED_SEPARATORS_SQL_PATTERN = `${SEPARATOR_CLASS}+`;

const TYPED_SEPARATORS = new RegExp(SEPARATOR_CLASS, 'g');

export const withoutSeparators = (text: string): string => text.replace(TYPED_SEPARATORS, '');

/** Zero-width spaces and joiners, the word joiner and the byte-order mark: they show as nothing, so no name or title holds them. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

export const withoutInvisible = (text: string): string => text.replace(INVISIBLE, '');
