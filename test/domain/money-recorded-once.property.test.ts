import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionContext, ChuyingLoanAction } from '../../domain/chuying/commands.js';
import { decideAction, ensureActionAllowed } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { alreadyRecordedMoney } from '../../domain/chuying/money.js';
import { evolveChuyingLoan, foldChuyingLoan, outstandingFen, type ChuyingLoanState } from '../../domain/chuying/state.js';
import { DomainError } from '../../domain/errors.js';
import { addDays } from '../../domain/time/local-date.js';
import { fundReviewer } from '../support/actors.js';
import { DISBURSED_ON, history, PRINCIPAL } from './chuying-loan.fixtures.js';

/**
 * Payments arrive in batches of concurrent requests, as the workflow sees them: every request of a
 * batch passes its update validator against the case as it was before the batch, then the
 * handlers decide one at a time. Whatever the interleaving of repeats (and of the same reference
 * sent with another amount), each reference is recorded once, with what arrived first.
 */
const NOW = Date.parse('2026-03-02T02:00:00Z'); // 10:00 on 2 Mar 2026 in Shanghai; disbursed 31 Jan
const context: ActionContext = { actor: fundReviewer, now: NOW };

type Delivery = { payment: number; variant: boolean };

const scenario = fc
  .array(fc.record({ amountFen: fc.integer({ min: 1, max: 1_000_000 }), day: fc.integer({ min: 0, max: 30 }) }), { minLength: 1, maxLength: 12 })
  .chain((payments) =>
    fc.record({
      payments: fc.constant(payments),
      batches: fc.array(
        fc.array(fc.record({ payment: fc.integer({ min: 0, max: payments.length - 1 }), variant: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) }), { minLength: 1, maxLength: 8 }),
        { minLength: 1, maxLength: 10 },
      ),
    }),
  );

function actionFor(payments: { amountFen: number; day: number }[], { payment, variant }: Delivery): Extract<ChuyingLoanAction, { type: 'RecordRepayment' }> {
  const p = payments[payment]!;
  // A variant is the same bank reference typed with another amount: a mistake, never a second payment.
  return { type: 'RecordRepayment', reference: `PAY-${payment}`, amountFen: variant ? p.amountFen + 1 : p.amountFen, paidOn: addDays(DISBURSED_ON, p.day) };
}

describe('money recorded once (property)', () => {
  it('the amount outstanding is the principal less the distinct payments, to the fen', () => {
    fc.assert(
      fc.property(scenario, ({ payments, batches }) => {
        let state: ChuyingLoanState = foldChuyingLoan(history.repaying);
        const recorded: ChuyingLoanEvent[] = [];
        /** The first amount each reference was recorded with: the oracle. */
        const firstAmount = new Map<string, number>();
        for (const batch of batches) {
          const actions = batch.map((delivery) => actionFor(payments, delivery));
          const before = state;
          const validated = actions.filter((action) => {
            try {
              ensureActionAllowed(before, action, context);
              return true;
            } catch (error) {
              // The validator refuses only a reference recorded (before the batch) with another amount.
              expect((error as DomainError).kind).toBe('conflict');
              expect(firstAmount.get(action.reference)).not.toBe(action.amountFen);
              return false;
            }
          });
          for (const action of validated) {
            let events: ChuyingLoanEvent[];
            try {
              events = decideAction(state, action, context);
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
              expect((error as DomainError).kind).toBe('conflict');
              expect(firstAmount.get(action.reference)).not.toBe(action.amountFen);
              continue;
            }
            if (firstAmount.has(action.reference)) {
              expect(events).toEqual([]);
              expect(alreadyRecordedMoney(state, action)?.amountFen).toBe(firstAmount.get(action.reference));
            } else {
              expect(events.map((e) => e.type)).toEqual(['RepaymentRecorded']);
              firstAmount.set(action.reference, action.amountFen);
            }
            recorded.push(...events);
            state = events.reduce(evolveChuyingLoan, state);
          }
        }
        const distinctFen = [...firstAmount.values()].reduce((sum, amount) => sum + amount, 0);
        expect(outstandingFen(state)).toBe(PRINCIPAL - distinctFen);
        expect(state.repaidFen).toBe(distinctFen);
        expect(recorded).toHaveLength(firstAmount.size);
        expect(new Set(state.repayments.map((r) => r.reference)).size).toBe(state.repayments.length);
      }),
      { numRuns: 300 },
    );
  });
});
