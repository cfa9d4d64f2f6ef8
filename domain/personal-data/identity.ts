import { chineseDate, isLocalDate, type LocalDate } from '../time/local-date.js';

/**
 * Personal data the programmes need: a 身份证号 (the 18-character resident identity number of GB
 * 11643) and a mainland mobile number. Checked here, masked here; stored only encrypted
 * (db/personal-data-vault.ts) and never in events, workflow histories or logs.
 */
export type PersonalDataKind = 'id-number' | 'phone';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARACTERS = '10X98765432';

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARACTERS[sum % 11]!;
}

/** The birth date a 身份证号 carries (characters 7 to 14), as written: idNumberProblem says whether it is a real day. */
export const birthDateOf = (idNumber: string): LocalDate => `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}` as LocalDate;

/** What is wrong with a 身份证号, or undefined when it is well-formed: format, birth date, check character. */
export function idNumberProblem(value: string): string | undefined {
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return '身份证号应为 18 位：17 位数字加 1 位数字或 X';
  const birth = birthDateOf(value);
  if (!isLocalDate(birth) || birth < '1900-01-01') return '身份证号中的出生日期（第 7 至 14 位）不是真实日期';
  if (idNumberCheckCharacter(value.slice(0, 17)) !== value[17]) return '身份证号最后一位校验码不对，请核对';
  return undefined;
}


/** A 身份证号 of someone not yet born on the day: its birth date is after it. */
export function bornAfter(idNumber: string, on: LocalDate): string | undefined {
  const birth = birthDateOf(idNumber);
  return birth > on ? `身份证号中的出生日期${chineseDate(birth)}晚于今天（${chineseDate(on)}），请核对` : undefined;
}

/** Whole years of age on a day (周岁): the birthday counts from its own day; 29 February from 1 March in other years. */
export function ageOn(birth: LocalDate, on: LocalDate): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) >= birth.slice(5) ? years : years - 1;
}

/** What is wrong with a mainland mobile number, or undefined: 11 digits starting 13–19. */
export function phoneProblem(value: string): string | undefined {
  return /^1[3-9]\d{9}$/.test(value) ? undefined : '应为 11 位手机号码，如 13812345678';
}

/** 110***********1234: the region's first three digits and the last four. */
export function maskIdNumber(value: string): string {
  return `${value.slice(0, 3)}${'*'.repeat(Math.max(0, value.length - 7))}${value.slice(-4)}`;
}

/** 138****5678. */
export function maskPhone(value: string): string {
  return `${value.slice(0, 3)}${'*'.repeat(Math.max(0, value.length - 7))}${value.slice(-4)}`;
}

export function maskPersonalData(kind: PersonalDataKind, value: string): string {
  return kind === 'id-number' ? maskIdNumber(value) : maskPhone(value);
}

/**
 * A stated age (周岁) the 身份证号 the system holds contradicts: said at the age's field, with the
 * birth date and the age it gives on the day. An outsider stated 16 with an identity born 2010-12-06,
 * 15 on the day, and the certification was granted.
 */
export function statedAgeProblem(idNumber: string, statedAge: number, on: LocalDate): string | undefined {
  const birth = birthDateOf(idNumber);
  const age = ageOn(birth, on);
  return age === statedAge ? undefined : `年龄与身份证号不符：身份证号的出生日期为${chineseDate(birth)}，${chineseDate(on)}为 ${age} 周岁`;
}
