/**
 * The 统一社会信用代码 (GB 32100-2015): 18 characters, digits and the capital letters the code uses
 * (every letter but I, O, S, V and Z); characters 3–8 are the registering authority's 行政区划码,
 * digits only. The one place the format is checked, so the forms, the API and the registers
 * refuse a code alike and say what exactly is wrong with it.
 */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const UNUSED_LETTERS = /[IOSVZ]/;

export const isCreditCode = (text: string): boolean => CREDIT_CODE.test(text);

/** What is wrong with a code, in the words a person can act on; undefined when it has the form of one. */
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
  return other >= 0 ? `统一社会信用代码只含数字和大写字母：第 ${other + 1} 位是“${chars[other]}”` : '统一社会信用代码格式不对，请对照营业执照';
}
