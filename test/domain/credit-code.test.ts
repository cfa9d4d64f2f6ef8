import { describe, expect, it } from 'vitest';
import { creditCode } from '../../cases/fields.js';
import { creditCodeCheckCharacter, creditCodeProblem, isCreditCode } from '../../domain/companies/credit-code.js';

describe('统一社会信用代码: one check, saying what exactly is wrong', () => {
  it('takes a code of the right form', () => {
    expect(isCreditCode('91310110MA1GW6KX3A')).toBe(true);
    expect(creditCodeProblem('91310110MA1GW6KX3A')).toBeUndefined();
  });

  it('names the length, a lower-case letter, a letter the code never uses, and a letter in the area code', () => {
    expect(creditCodeProblem('12345')).toBe('统一社会信用代码应为 18 位，这里是 5 位（见营业执照）');
    expect(creditCodeProblem('91310110ma1gw6kx3y')).toBe('统一社会信用代码的字母须大写：第 9 位是“m”');
    // The outsider's code: 18 characters, but a Z, which codes never contain; the old answer only said "18 位".
    expect(creditCodeProblem('91310110MA1GZZZZ9X')).toBe('第 13 位的“Z”不会出现在统一社会信用代码中（代码不使用 I、O、S、V、Z），请对照营业执照');
    expect(creditCodeProblem('9131A110MA1GW6KX3Y')).toBe('统一社会信用代码第 3 至 8 位是行政区划码，应为数字：第 5 位是“A”');
    expect(creditCodeProblem('91310110MA1GW6KX3-')).toBe('统一社会信用代码只含数字和大写字母：第 18 位是“-”');
  });

  it('checks the 18th character against the first 17 (GB 32100-2015): a mistyped or made-up code is refused', () => {
    // Codes as printed on licences: each checks.
    for (const code of ['91110000600037341L', '91310000MA1FL1MMXL', '91310110MA1GW6KX3A']) expect(isCreditCode(code), code).toBe(true);
    // One character changed anywhere, or a last digit made up: the check fails, and the message says so.
    for (const code of ['91110000600037342L', '91310000MA1FL1MMXK', '91310110MA1GW6KX3Y', '91310110MA1G8D0001']) {
      expect(isCreditCode(code), code).toBe(false);
      expect(creditCodeProblem(code), code).toBe('统一社会信用代码校验不通过：第 18 位校验码与前 17 位不符，可能有一位填错了，请对照营业执照逐位核对');
    }
    // A check value of 0 is written 0 (31 − 0 would be out of range).
    expect(creditCodeCheckCharacter('91310110MA1G8D010')).toBe('0');
  });

  it('is the message the API schemas answer with', () => {
    const issue = creditCode.safeParse('91310110MA1GZZZZ9X').error!.issues[0]!;
    expect(issue.message).toBe(creditCodeProblem('91310110MA1GZZZZ9X'));
    expect(creditCode.safeParse('91310110MA1GW6KX3A').success).toBe(true);
  });
});
