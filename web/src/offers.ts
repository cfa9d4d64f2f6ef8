import type { SignedInAccount } from './session.js';

/** The 雏鹰 loan's programme and its form. */
export const CHUYING_LOAN = { programmeId: 'chuying-loan', form: '#/apply/chuying-loan' } as const;

/**
 * Why a measure is not offered to this account, where it is not: the 雏鹰 loan is for companies
 * registered in 杨浦 (source 003), so an individual creator is not offered its form — in the menu, on
 * 我的办件, in the catalogue or on its 办事指南. An outsider's individual account went through the
 * four-step form and was refused only at its end. Undefined: offered (or nobody signed in to ask).
 */
export function notOfferedTo(account: SignedInAccount | undefined, programmeId: string): string | undefined {
  if (programmeId === CHUYING_LOAN.programmeId && account?.applicantKind === 'individual') return '仅面向在杨浦注册的企业，个人创作者不能申请';
  return undefined;
}
