/**
 * The 统一社会信用代码 (GB 32100-2015): 18 characters, digits and the capital letters the code uses
 * (every letter but I, O, S, V and Z); characters 3–8 are the registering authority's 行政区划码,
 * digits only; the 18th is a check character computed from the other 17, so a mistyped or made-up
 * code is caught before anything is looked up under it. The one place a code is checked, so the
 * forms, the API and the registers refuse a code alike and say what exactly is wrong with it.
 */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const UNUSED_LETTERS = /[IOSVZ]/;

/** The code's characters in the order of their values 0–30, and the weights of positions 1–17 (GB 32100-2015, 4.2). */
const CODE_CHARACTERS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character the first 17 characters of a well-formed code call for. */
export function creditCodeCheckCharacter(first17: string): string {
  const sum = WEIGHTS.reduce((total, weight, i) => total + CODE_CHARACTERS.indexOf(first17[i]!) * weight, 0);
  return CODE_CHARACTERS[(31 - (sum % 31)) % 31]!;
}

export const isCreditCode = (text: string): boolean => CREDIT_CODE.test(text) && creditCodeCheckCharacter(text) === text[17];

/** What is wrong with a code, in the words a person can act on; undefined when it has the form of one and its check character checks. */
export function creditCodeProblem(text: string): string | undefined {
  if (isCreditCode(text)) return undefined;
  const length = [...text].length;
  if (length !== 18) return `统一社会信用代码应为 18 位，这里是 ${length} 位（见营业执照）`;
  const chars = [...text];
  const lower = chars.findIndex((c) => /[a-z]/.test(c));
  if (lower >= 0) return `统一社会信用代码的字母须大写：第 ${lower + 1} 位是“${chars[lower]}”`;
  const unused = chars.findIndex((c) => UNUSED_LETTERS.test(c));
  if (unused >= 0) return `第 ${unused + 1} 位的“${chars[unused]}”不会出现在统一社会信用代码中（代码不使用 I、O、S、V、Z），请对照营业执照`;
  const notDigit = chars.findIndex((c, i) => i >= 2 && i < 8 && !/\d/.test(c));
  if (notDigit >= 0) return `统一社会信用代码第 3 至 8 位是行政区划码，应为数字：第 ${notDigit + 1} 位是“${chars[notDigit]}”`;
  const other = chars.findIndex((c) => !/[0-9A-Z]/.test(c));
  if (other >= 0) return `统一社会信用代码只含数字和大写字母：第 ${other + 1} 位是“${chars[other]}”`;
  // Well formed, but the last character does not check: a character mistyped somewhere, or a code made up.
  if (CREDIT_CODE.test(text)) return '统一社会信用代码校验不通过：第 18 位校验码与前 17 位不符，可能有一位填错了，请对照营业执照逐位核对';
  return '统一社会信用代码格式不对，请对照营业执照';
}
