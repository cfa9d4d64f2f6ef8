import { repaymentSchedule } from '../../domain/chuying/repayment-schedule.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { validationError } from '../../domain/errors.js';
import { formatFen } from '../../domain/money/fen.js';
import type { ApiDependencies } from '../dependencies.js';
import { route } from '../route.js';
import { schedulePreviewResponse } from '../schemas/responses.schemas.js';
import { schedulePreviewQuery } from '../schemas/chuying-loan.schemas.js';

export function chuyingScheduleRoutes({ calendar }: ApiDependencies) {
  return [
    route({
      method: 'GET',
      url: '/api/loans/chuying/schedule',
      summary: '雏鹰计划: preview the 36 interest-free monthly instalments for a principal and a disbursement date',
      tag: 'loans',
      access: 'public',
      query: schedulePreviewQuery,
      response: schedulePreviewResponse,
      async handle({ query }) {
        const terms = CHUYING_LOAN_TERMS;
        if (query.principalFen > terms.capFen) {
          throw validationError(
            {
              code: 'validation',
              zh: `借款金额 ${formatFen(query.principalFen)} 元超过雏鹰计划每笔 ${formatFen(terms.capFen)} 元的上限。`,
              en: `principal ${formatFen(query.principalFen)} exceeds the 雏鹰计划 cap of ${formatFen(terms.capFen)}`,
            },
            [{ field: 'query.principalFen', message: `最多 ${formatFen(terms.capFen)} 元（${terms.capFen} 分）`, english: `at most ${terms.capFen} fen` }],
          );
        }
        const instalments = repaymentSchedule(await calendar(), query.principalFen, query.disbursedOn, terms.instalmentCount);
        return { instalments: instalments.map(({ number, dueOn, amountFen, provisional }) => ({ number, dueOn, amountFen, provisional })) };
      },
    }),
  ];
}
