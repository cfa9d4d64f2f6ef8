import { z } from 'zod';

const instant = z.string().meta({ description: 'ISO 8601 instant (UTC); Shanghai time is UTC+8' });
const amount = z.int().min(0).meta({ unit: 'fen' });

/** The path of a call's budget: a call's id (its case id), or `chuying-fund` for the 雏鹰 fund's revolving pool. */
export const callIdParams = z.strictObject({
  callId: z.union([z.uuid(), z.literal('chuying-fund')], '应为申报批次编号（UUID）或 chuying-fund').meta({ description: 'a call id (its case id), or chuying-fund' }),
});

/** A call as the public sees it: what is open, what is coming, and for what. */
export const publicCall = z.strictObject({
  callId: z.string(),
  referenceNo: z.string(),
  title: z.string(),
  programme: z.strictObject({ id: z.string(), name: z.string() }),
  department: z.strictObject({ id: z.string(), name: z.string() }),
  mode: z.enum(['competitive', 'first-come']),
  modeLabel: z.string(),
  opensAt: instant,
  closesAt: instant,
  /** In words, Shanghai time: 2026年9月20日 09:00 至 2026年10月31日 17:00（北京时间）. */
  period: z.string(),
  open: z.boolean(),
  quota: z.int().nullable(),
  budgetFen: amount,
  /** A first-come call's budget left (what approvals have not yet committed); null for a competitive call, whose list is decided at once. */
  remainingFen: amount.nullable(),
  /** A first-come call whose budget is used up: still listed until its close, but it takes no more applications. */
  budgetUsedUp: z.boolean(),
  /** A first-come call's places (名额) left, as an approval counts them (one per award standing); null for a call without a quota, or a competitive call (its list is decided at once). */
  placesLeft: z.int().min(0).nullable(),
  /** A first-come call whose places are all taken: still listed until its close, but it takes no more applications. */
  placesFull: z.boolean(),
  publicityWorkingDays: z.int(),
});

export const callListResponse = z.strictObject({ calls: z.array(publicCall) });

/** Who may sit on a call's panel, for the official naming it: the department's reviewers, then the external experts. */
export const panelMemberChoicesResponse = z.strictObject({
  members: z.array(
    z.strictObject({
      accountId: z.string(),
      displayName: z.string(),
      kind: z.enum(['official', 'expert']),
      /** 杨浦区投促办 工作人员（评审） or 评审专家. */
      kindLabel: z.string(),
    }),
  ),
});

export const callBudgetResponse = z.strictObject({
  callId: z.string(),
  title: z.string(),
  programmeId: z.string(),
  revolving: z.boolean(),
  budgetFen: amount,
  budgetApproved: z.boolean(),
  committedFen: amount,
  paidFen: amount,
  recoveredFen: amount,
  remainingFen: amount,
});
