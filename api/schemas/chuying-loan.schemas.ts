import { z } from 'zod';
import { fen, fenInQuery, localDate, text } from './common.schemas.js';

export const createChuyingLoanCaseBody = z.strictObject({
  company: z.strictObject({
    name: text(200),
    unifiedSocialCreditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '须为 18 位统一社会信用代码（数字和大写字母，见营业执照）'),
    registeredDistrict: text(50),
  }),
  project: z.strictObject({
    name: text(200),
    summary: text(5000),
    contentTrack: text(100),
  }),
  requestedAmountFen: fen,
});

export const schedulePreviewQuery = z.strictObject({
  principalFen: fenInQuery,
  disbursedOn: localDate,
});
