import { z } from 'zod';
import { loanApplicationProblems } from '../../domain/chuying/decide.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { creditCode, fen, fenInQuery, localDate, shanghaiDistrict, text } from './common.schemas.js';

// Titled as the application form labels them (web/src/views/apply-loan.ts), for whoever reads the OpenAPI document.
const loanApplicationFields = z.strictObject({
  company: z
    .strictObject({
      name: text(200).meta({ title: '企业名称' }),
      unifiedSocialCreditCode: creditCode.meta({ title: '统一社会信用代码' }),
      registeredDistrict: shanghaiDistrict.meta({ title: '注册区' }),
    })
    .meta({ title: '申请企业' }),
  project: z
    .strictObject({
      name: text(200).meta({ title: '项目名称' }),
      summary: text(5000).meta({ title: '项目简介' }),
      contentTrack: text(100).meta({ title: '内容赛道' }),
    })
    .meta({ title: '项目' }),
  requestedAmountFen: fen.meta({ title: '申请金额', description: 'integer fen (1 yuan = 100 fen): 500,000.00 元 is 50000000' }),
});

export const createChuyingLoanCaseBody = loanApplicationFields
  // The programme's rules named beside the fields' own problems, so that one answer lists them all
  // (一次告知). Only where the schema already refuses something and the fields they read are sound:
  // otherwise the route's check answers with the rule's own words.
  .superRefine(
    (body, ctx) => {
      // A field already refused by its own check (an amount of -100: 必须大于 0) is not refused again by a rule.
      const refused = new Set(loanApplicationFields.safeParse(body).error?.issues.map((issue) => issue.path.join('.')));
      for (const { issue } of loanApplicationProblems(body, CHUYING_LOAN_TERMS)) {
        if (refused.has(issue.field)) continue;
        ctx.addIssue({ code: 'custom', path: issue.field.split('.'), message: issue.message, params: { code: issue.code, english: issue.english } });
      }
    },
    {
      when: (payload) => {
        const value = payload.value as { company?: { registeredDistrict?: unknown }; requestedAmountFen?: unknown } | undefined;
        return payload.issues.length > 0 && typeof value?.company?.registeredDistrict === 'string' && Number.isSafeInteger(value.requestedAmountFen);
      },
    },
  );

export const schedulePreviewQuery = z.strictObject({
  principalFen: fenInQuery,
  disbursedOn: localDate,
});
