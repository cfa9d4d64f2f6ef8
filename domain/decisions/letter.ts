import { DEPARTMENTS, type Department } from '../cases/actor.js';
import { formatFen, type Fen } from '../money/fen.js';
import type { GovernmentLevel, ProgrammeFamily } from '../programmes/programme.js';
import { documentOf, placeInSources } from '../programmes/sources.js';
import type { LocalDate } from '../time/local-date.js';

/**
 * A written decision (决定书): what an approval, a rejection or a withdrawal tells the applicant in
 * writing (行政许可法 Art. 38) — the case, the measure and its source, the decision and amount, the
 * reasons, who decided and when, and the applicant's rights of review (行政复议) and suit (行政诉讼).
 * Plain data: the PDF is rendered from it alone, so the same content always gives the same bytes.
 */
export interface LetterContent {
  /**
   * 文号. As the workflow drafts it, made of the case reference and the decision event's position
   * (杨V基金决〔2026〕CY-2026-000001-4号); the letter is issued with the next number of the register
   * the draft names (`letterRegisterOf`: the issuer and the year), 杨V基金决〔2026〕12号.
   */
  letterNo: string;
  /** 给予支持决定书, 不予资助决定书, 准予备案决定书 … */
  title: string;
  caseId: string;
  referenceNo: string;
  /** The stream version of the event that records the decision. */
  position: number;
  eventType: string;
  decision: LetterDecision;
  /** To whom: the applicant (a company by its name). */
  addressee: string;
  /** The measure (the programme's name, or the filing and its title). */
  matter: string;
  /** The source document and the measure within it. */
  source: { document: string; measure: string };
  /** The decision in one sentence. */
  decisionText: string;
  amountFen: Fen | null;
  reasons: string[];
  decidedBy: { name: string; department: string };
  decidedOn: LocalDate;
  rights: RightsNotice;
  /** Who issues it (落款): the deciding department. */
  issuer: string;
}

export type LetterDecision = 'approve' | 'reject' | 'withdraw-award' | 'recover' | 'cancel-recovery';

export const LETTER_DECISION_LABELS: Readonly<Record<LetterDecision, string>> = {
  approve: '批准',
  reject: '不予批准',
  'withdraw-award': '撤销奖补',
  recover: '追回',
  'cancel-recovery': '撤销追回',
};

/** 行政复议法 Art. 20 (60 days) and 行政诉讼法 Art. 46 (six months), to whom. */
export interface RightsNotice {
  reconsiderationDays: 60;
  /** The people's government at the deciding department's level. */
  reconsiderationBody: string;
  litigationMonths: 6;
  text: string;
}

/** Where a department stands: a city department, or one of a district. */
export type Government = { level: 'city' } | { level: 'district'; district: '杨浦区' | '黄浦区' | '徐汇区' };

const DISTRICT_OF_FAMILY: Partial<Record<ProgrammeFamily, '杨浦区' | '黄浦区' | '徐汇区'>> = { yangpu: '杨浦区', huangpu: '黄浦区', xuhui: '徐汇区' };

/**
 * The government a department belongs to. 人社 decides for city measures (沪九条: 落户, 职称, 技能认定)
 * and for district ones (杨浦 and 黄浦 talent measures): its level is the measure's.
 */
export function governmentOf(department: Department, programme?: { family: ProgrammeFamily; level: GovernmentLevel }): Government {
  switch (department) {
    case 'cac':
    case 'culture-tourism':
      return { level: 'city' };
    case 'yangpu-fund':
    case 'yangpu-investment':
      return { level: 'district', district: '杨浦区' };
    case 'huangpu':
      return { level: 'district', district: '黄浦区' };
    case 'xuhui':
      return { level: 'district', district: '徐汇区' };
    case 'hrss': {
      const district = programme?.level === 'district' ? DISTRICT_OF_FAMILY[programme.family] : undefined;
      return district ? { level: 'district', district } : { level: 'city' };
    }
  }
}

/** The department as a letter names it: 人社 with its level (上海市人社部门, 杨浦区人社部门). */
export function departmentNameOf(department: Department, government: Government): string {
  if (department !== 'hrss') return DEPARTMENTS[department];
  return government.level === 'city' ? '上海市人力资源和社会保障局' : `${government.district}人力资源和社会保障局`;
}

export function rightsNotice(government: Government): RightsNotice {
  const reconsiderationBody = government.level === 'city' ? '上海市人民政府' : `${government.district}人民政府`;
  return {
    reconsiderationDays: 60,
    reconsiderationBody,
    litigationMonths: 6,
    text:
      `如不服本决定，可以自收到本决定书之日起 60 日内向${reconsiderationBody}申请行政复议，` +
      '也可以自收到本决定书之日起六个月内向有管辖权的人民法院提起行政诉讼。',
  };
}

const ISSUER_CODES: Readonly<Record<Department, string>> = {
  cac: '沪网信',
  'yangpu-fund': '杨V基金',
  'culture-tourism': '沪文旅',
  'yangpu-investment': '杨投促',
  huangpu: '黄优创',
  xuhui: '徐优创',
  hrss: '人社',
};

/**
 * The register a drafted 文号 is to be numbered in: its issuer's code and 〔year〕, the part before
 * the case reference. Read from the draft, so that the workflow's drafts (and the activity arguments
 * recorded in histories) are what they always were.
 */
export function letterRegisterOf(draftedLetterNo: string): string | undefined {
  const end = draftedLetterNo.indexOf('〕');
  return end > 0 ? draftedLetterNo.slice(0, end + 1) : undefined;
}

/** 文号 as issued: the register's prefix and the letter's serial in it (杨V基金决〔2026〕12号). */
export function registeredLetterNumber(prefix: string, serial: number): string {
  return `${prefix}${serial}号`;
}

/**
 * 文号 as drafted (and as letters were numbered before the register): 〔year〕 of the decision, the
 * case reference and the decision's position in the case, so the same decision always has the same
 * draft number and two decisions of one case never share one.
 */
export function letterNumber(department: Department, government: Government, referenceNo: string, position: number, decidedOn: LocalDate): string {
  const issuer = department === 'hrss' ? `${government.level === 'city' ? '沪' : government.district.slice(0, 1)}人社` : ISSUER_CODES[department];
  return `${issuer}决〔${decidedOn.slice(0, 4)}〕${referenceNo}-${position}号`;
}

/** 人民币 600,000.00 元 */
export function amountInWords(amountFen: Fen): string {
  return `人民币 ${formatFen(amountFen)} 元`;
}

/**
 * The source as a letter cites it: the family's document by its title, and the measure with where it
 * stands in the sources (e.g. 杨浦“奖” 优质内容综合评比（“奖”维度）), never the catalogue's file codes.
 */
export function sourceOf(family: ProgrammeFamily, measureName: string, catalogueSource: string): { document: string; measure: string } {
  const place = placeInSources(family, catalogueSource);
  return { document: documentOf(family), measure: place ? `${measureName}（${place}）` : measureName };
}

/** What every builder supplies; the rest (number, rights, issuer) follows from it. */
export interface LetterFacts {
  title: string;
  caseId: string;
  referenceNo: string;
  position: number;
  eventType: string;
  decision: LetterDecision;
  addressee: string;
  matter: string;
  source: { document: string; measure: string };
  decisionText: string;
  amountFen: Fen | null;
  reasons: readonly string[];
  decidedBy: string;
  department: Department;
  government: Government;
  decidedOn: LocalDate;
}

export function letterContent(facts: LetterFacts): LetterContent {
  const departmentName = departmentNameOf(facts.department, facts.government);
  const reasons = facts.reasons.map((r) => r.trim()).filter((r) => r !== '');
  return {
    letterNo: letterNumber(facts.department, facts.government, facts.referenceNo, facts.position, facts.decidedOn),
    title: facts.title,
    caseId: facts.caseId,
    referenceNo: facts.referenceNo,
    position: facts.position,
    eventType: facts.eventType,
    decision: facts.decision,
    addressee: facts.addressee,
    matter: facts.matter,
    source: facts.source,
    decisionText: facts.decisionText,
    amountFen: facts.amountFen,
    reasons,
    decidedBy: { name: facts.decidedBy, department: departmentName },
    decidedOn: facts.decidedOn,
    rights: rightsNotice(facts.government),
    issuer: departmentName,
  };
}
