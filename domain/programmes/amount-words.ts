import type { Fen } from '../money/fen.js';
import { yuanText } from './fact-labels.js';
import type { AmountRule, CapPeriod, FundedItem, PayoutShape } from './programme.js';

/** What a measure pays, as far as its words need: the amount rule, whether its cap counts per year, how it is paid, and what it funds. */
export interface SupportTerms {
  amount: AmountRule;
  capPeriod?: CapPeriod;
  payout?: PayoutShape;
  fundedItem?: FundedItem | string;
}

const pct = (basisPoints: number | undefined) => `${(basisPoints ?? 0) / 100}%`;

/**
 * 支持标准 in words: one text for the catalogue card, the 办事指南, the self-check's answer and the
 * case page's 可获上限, so that none of them says anything the others do not. A cap counted per
 * calendar year says so (每年最高); a measure that pays an amount the sources do not cap says how it
 * is paid and who sets the amount, never that it pays nothing. `money` writes an amount (1,000.00 元).
 */
export function supportInWords(terms: SupportTerms, money: (fen: Fen) => string = yuanText): string {
  const a = terms.amount;
  const payout = terms.payout?.kind;
  const perYear = terms.capPeriod === 'per-year';
  const atMost = (fen: Fen) => `${perYear ? (terms.fundedItem === 'voucher-item' ? '每项每年最高' : '每年最高') : '最高'} ${money(fen)}`;
  switch (a.kind) {
    case 'cap':
      return payout === 'voucher' ? `${atMost(a.capFen)}，以券的形式发放` : atMost(a.capFen);
    case 'fixed':
      return `定额 ${money(a.amountFen)}`;
    case 'share-of-base':
      return `按实际投入的 ${pct(a.shareBasisPoints)} 计，${atMost(a.capFen)}`;
    case 'cap-with-uplift':
      return `${atMost(a.capFen)}；符合条件的上浮 ${pct(a.upliftBasisPoints)}`;
    case 'monthly':
      return `每月最高 ${money(a.monthlyCapFen)}，最长 ${a.maxMonths} 个月`;
    case 'rent-waiver':
      return '按入驻年度减免房租';
    case 'interest-subsidy':
      return `贴息 ${pct(a.shareBasisPoints)}`;
    case 'interest-paid-subsidy':
      return a.of === 'lpr' ? `按实际支付的利息贴息，贴息利率不超过同期 LPR 的 ${pct(a.shareBasisPoints)}` : `按实际支付利息的 ${pct(a.shareBasisPoints)} 贴息`;
    case 'per-unit':
      return a.perUnitFen ? `每人 ${money(a.perUnitFen)}，${atMost(a.capFen)}` : `按参训规模核定，${atMost(a.capFen)}`;
    case 'in-kind':
      return `每年最高价值 ${money(a.capFen)} 的服务（不发放现金）`;
    case 'none':
      // No cap in the sources is not no money: the one-off subsidies and the vouchers are paid, in an amount the decision sets.
      if (payout === 'one-off') return '一次性补贴，政策原文未列最高额，金额由评审核定';
      if (payout === 'voucher') return '以券的形式发放，政策原文未列面额，金额由评审核定';
      if (payout === 'monthly' || payout === 'rent-waiver-years') return '政策原文未列最高额，金额由评审核定';
      return '不涉及资金（本措施为服务或备案）';
  }
}

