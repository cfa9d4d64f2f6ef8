import { z } from 'zod';

export const decisionLetterParams = z.strictObject({
  caseId: z.uuid('办件编号格式不对'),
  letterId: z.uuid('决定书编号格式不对'),
});

const decisionLetter = z.strictObject({
  letterId: z.string().describe('a UUID'),
  letterNo: z.string().describe('文号: the next in its issuer’s register for the year, e.g. 杨V基金决〔2026〕12号 (letters issued before the register: 杨V基金决〔2026〕CY-2026-000001-4号)'),
  title: z.string().describe('资助决定书, 不予支持决定书, 准予备案决定书 …'),
  decision: z.enum(['approve', 'reject', 'withdraw-award', 'recover', 'cancel-recovery']),
  decisionLabel: z.string().describe('the decision in Chinese'),
  eventType: z.string().describe('the event that records the decision'),
  version: z.int().describe('that event’s version in the case: its hash chain holds the letter’s sha256'),
  decidedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('an Asia/Shanghai calendar date'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 of the PDF, as the decision’s event records it'),
  createdAt: z.string().describe('an ISO 8601 instant'),
  download: z.string().describe('the PDF’s path'),
});

export const decisionLettersResponse = z.strictObject({ letters: z.array(decisionLetter) });
