import type { Selectable } from 'kysely';
import { bornAfter, maskPersonalData, statedAgeProblem, type PersonalDataKind } from '../domain/personal-data/identity.js';
import type { LocalDate } from '../domain/time/local-date.js';
import { findProgramme } from '../domain/programmes/catalogue.js';
import type { PersonalDataVault, StoredPersonalData } from '../db/personal-data-vault.js';
import type { CasesTable } from '../db/tables/cases.table.js';
import type { Account } from './auth/sessions.js';
import { HttpError } from './http-errors.js';
import { readsAsAnotherDepartment } from './views/panel-confidentiality.js';

/**
 * Personal data in the API: who must give it, who sees it in clear. Values live only in the
 * vault (db/personal-data-vault.ts); a case's workflow, events and read model never carry them.
 *
 * Shown in clear to the officials of the case's own department (they verify identity and call the
 * applicant; the central check has already kept the officials of departments that see nothing of the
 * case out); masked for everyone else who may see the case — the applicant themself, auditors, and
 * the officials of another department that sees it for a step of its own (网信 reviewing a loan's or
 * an application's content calls nobody) (110***********1234, 138****5678).
 */
export const PROGRAMMES_NEEDING_IDENTITY: readonly string[] = [
  'hu9-hukou',
  'yangpu-talent-hukou',
  'huangpu-creator-hukou',
  'hu9-all-media-operator-certification',
  'hu9-professional-title',
];

export interface GivenPersonalData {
  idNumber?: string;
  contactPhone?: string;
}

export interface ShownPersonalData {
  idNumber: string | null;
  contactPhone: string | null;
  /** 'clear' for the officials of the case's own department, 'masked' for everyone else. */
  shown: 'clear' | 'masked';
}

function requireVault(vault: PersonalDataVault | undefined): PersonalDataVault {
  if (!vault) throw new HttpError(503, 'not-configured', '本服务器没有配置个人信息加密密钥，暂不能保存或显示个人信息，请联系管理员。', [], {}, {}, 'this server has no PERSONAL_DATA_KEY: personal data can be neither stored nor shown');
  return vault;
}

const show = (values: StoredPersonalData, clear: boolean): ShownPersonalData => {
  const shown = (kind: PersonalDataKind) => {
    const value = values[kind];
    return value === undefined ? null : clear ? value : maskPersonalData(kind, value);
  };
  return { idNumber: shown('id-number'), contactPhone: shown('phone'), shown: clear ? 'clear' : 'masked' };
};

/**
 * Checks, before anything starts, what an application gives: a programme that needs identity
 * (落户, certification, 职称) needs the 身份证号 — given now, or already on the profile — and only
 * an individual creator has one; any other programme is refused one (it is not collected where it
 * is not needed). A contact phone may come with any application.
 */
export async function checkApplicationPersonalData(
  vault: PersonalDataVault | undefined,
  programmeId: string,
  applicant: Account,
  given: GivenPersonalData | undefined,
  stated?: { age?: number; on: LocalDate },
): Promise<void> {
  const needsIdentity = PROGRAMMES_NEEDING_IDENTITY.includes(programmeId);
  const name = findProgramme(programmeId)?.name.zh ?? programmeId;
  if (!needsIdentity && given?.idNumber !== undefined) {
    throw new HttpError(400, 'validation', `${name}不需要填写身份证号，请删去。`, [{ field: 'personalData.idNumber', message: '本事项不收集身份证号，请删去', english: 'not collected for this programme' }], {}, {}, `${name} (${programmeId}) does not need a 身份证号: leave personalData.idNumber out`);
  }
  if (!needsIdentity) return;
  if (applicant.applicantKind === 'company') {
    throw new HttpError(400, 'validation', `${name}面向个人创作者；${applicant.displayName}是以企业身份申请的。`, [{ field: 'personalData.idNumber', message: '仅限个人创作者', english: 'individual creators only' }], {}, {}, `${name} (${programmeId}) is for individual creators; ${applicant.displayName} applies as a company`);
  }
  const idNumber = given?.idNumber ?? (await requireVault(vault).profileOf(applicant.accountId))['id-number'];
  const unborn = idNumber !== undefined && stated ? bornAfter(idNumber, stated.on) : undefined;
  if (unborn) throw new HttpError(400, 'validation', `${name}不予受理：${unborn}。`, [{ field: 'personalData.idNumber', message: unborn, english: 'the birth date of the 身份证号 is in the future' }]);
  // The age the rules judge is the one the identity gives, not the one typed.
  const ageProblem = idNumber !== undefined && stated?.age !== undefined ? statedAgeProblem(idNumber, stated.age, stated.on) : undefined;
  if (ageProblem) throw new HttpError(400, 'validation', `${name}不予受理：${ageProblem}。`, [{ field: 'facts.age', message: ageProblem, english: 'the stated age is not the one the 身份证号 gives' }]);
  if (idNumber === undefined) {
    throw new HttpError(
      400,
      'validation',
      `${name}须核验申请人的身份证号：请在申请表中填写身份证号。`,
      [{ field: 'personalData.idNumber', message: '请填写身份证号', english: 'required for this programme' }],
      {},
      {},
      `${name} (${programmeId}) needs the applicant's 身份证号: send personalData.idNumber, or set it once with PUT /api/me/personal-data`,
    );
  }
}

/** Keeps what the application gave (or the profile's 身份证号 where the programme needs one) for the case, once it exists. */
export async function recordApplicationPersonalData(vault: PersonalDataVault | undefined, programmeId: string, caseId: string, applicant: Account, given: GivenPersonalData | undefined): Promise<void> {
  const needsIdentity = PROGRAMMES_NEEDING_IDENTITY.includes(programmeId);
  if (!needsIdentity && given?.contactPhone === undefined) return;
  const store = requireVault(vault);
  const idNumber = given?.idNumber ?? (needsIdentity ? (await store.profileOf(applicant.accountId))['id-number'] : undefined);
  if (idNumber !== undefined) await store.putForCase(applicant.accountId, caseId, 'id-number', idNumber);
  if (given?.contactPhone !== undefined) await store.putForCase(applicant.accountId, caseId, 'phone', given.contactPhone);
}

/** A case's personal data as this viewer may see it: what was given for the case, else the applicant's profile phone. */
export async function casePersonalData(vault: PersonalDataVault | undefined, row: Pick<Selectable<CasesTable>, 'case_id' | 'applicant_account_id' | 'department'>, viewer: Account): Promise<ShownPersonalData | null> {
  if (!vault) return null;
  const [forCase, profile] = await Promise.all([vault.forCase(row.case_id), vault.profileOf(row.applicant_account_id)]);
  return show({ 'id-number': forCase['id-number'], phone: forCase.phone ?? profile.phone }, viewer.role === 'official' && !readsAsAnotherDepartment(row, viewer));
}

/**
 * The contacts objectors left (电话或邮箱，仅供主管部门核实和答复), by objection, for the officials of
 * the case's own department, who answer the objections: the form promised them that, yet nothing
 * read the vault but a test. Nobody else gets them — not the applicant objected to, not an auditor,
 * not another department reviewing the case's content — nor a key saying there is one.
 */
export async function objectionContactsFor(
  vault: PersonalDataVault | undefined,
  row: Pick<Selectable<CasesTable>, 'case_id' | 'applicant_account_id' | 'department'>,
  objections: readonly { objectionId: string; contactRef: string | null }[],
  viewer: Account,
): Promise<{ objectionContacts?: Record<string, string> }> {
  if (!vault || viewer.role !== 'official' || readsAsAnotherDepartment(row, viewer)) return {};
  const left = objections.filter((o): o is { objectionId: string; contactRef: string } => o.contactRef !== null);
  if (left.length === 0) return {};
  const contacts = await Promise.all(left.map(async (o) => [o.objectionId, await vault.objectionContact(o.contactRef)] as const));
  return { objectionContacts: Object.fromEntries(contacts.filter((c): c is readonly [string, string] => c[1] !== undefined)) };
}

/** The signed-in applicant's own profile data: masked (they gave it; a screen may be shared). */
export async function profilePersonalData(vault: PersonalDataVault | undefined, account: Account): Promise<ShownPersonalData | null> {
  if (!vault || account.role !== 'applicant') return null;
  return show(await vault.profileOf(account.accountId), false);
}

export async function setProfilePersonalData(vault: PersonalDataVault | undefined, account: Account, given: GivenPersonalData, today: LocalDate): Promise<void> {
  const store = requireVault(vault);
  if (given.idNumber !== undefined && account.applicantKind === 'company') {
    throw new HttpError(400, 'validation', `${account.displayName}以企业或机构身份登记，不填写身份证号；身份证号只由个人创作者填写。`, [{ field: 'idNumber', message: '仅限个人创作者填写', english: 'individual creators only' }], {}, {}, `${account.displayName} applies as a company, which has no 身份证号`);
  }
  const unborn = given.idNumber !== undefined ? bornAfter(given.idNumber, today) : undefined;
  if (unborn) throw new HttpError(400, 'validation', `${unborn}。`, [{ field: 'idNumber', message: unborn, english: 'the birth date is in the future' }]);
  if (given.idNumber === undefined && given.contactPhone === undefined) {
    throw new HttpError(400, 'validation', '请填写身份证号或联系电话（至少一项）。', [{ field: 'body', message: '没有要保存的内容', english: 'nothing to set' }], {}, {}, 'give idNumber, contactPhone or both');
  }
  if (given.idNumber !== undefined) await store.putProfile(account.accountId, 'id-number', given.idNumber);
  if (given.contactPhone !== undefined) await store.putProfile(account.accountId, 'phone', given.contactPhone);
}
