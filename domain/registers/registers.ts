import { creditCodeProblem, isCreditCode } from '../companies/credit-code.js';
import type { Actor, Department } from '../cases/actor.js';
import { DEPARTMENTS } from '../cases/actor.js';
import { forbidden, illegalState, notFound, validationError } from '../errors.js';
import { compareDates, type LocalDate } from '../time/local-date.js';

/**
 * Registers kept by departments (issue 14 part 1): the lists an application's facts are looked up
 * in instead of being typed by the applicant. Each register is one event stream; every entry added,
 * changed or ended is an event carrying who did it and why, so the register as of any day can be
 * rebuilt and a case can say which entry answered its fact.
 */
export const REGISTER_KINDS = ['carrier-tenants', 'key-enterprises', 'live-venues', 'national-selections', 'talent-recognitions', 'lpr'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

export const isRegisterKind = (text: string): text is RegisterKind => (REGISTER_KINDS as readonly string[]).includes(text);

/** A field of an entry's `detail`, as the form and the validation read it. */
export interface DetailField {
  name: string;
  label: string;
  kind: 'text' | 'basis-points' | 'choice';
  required: boolean;
  choices?: readonly string[];
}

export interface RegisterDefinition {
  kind: RegisterKind;
  zh: string;
  /** Who keeps it: officials of these departments, or the administrator (the LPR). */
  keptBy: { departments: readonly Department[] } | { admin: true };
  /** What an entry is found by, in words: the form's label for `subject`. */
  subjectLabel: string;
  /** How `subject` is checked: a 统一社会信用代码, a month, or free text (a venue's name). */
  subjectKind: 'credit-code' | 'month' | 'text' | 'credit-code-or-account';
  nameLabel: string;
  detail: readonly DetailField[];
  description: string;
}

/**
 * Which department keeps which register. Carrier tenants: the district investment office that admits
 * companies to its carriers (杨浦区投促办 for V聚场; 黄浦、徐汇 for theirs). Key enterprises and
 * recognised creators, and national selections: 市文旅局. The published live-streaming venue list:
 * 杨浦区投促办, which publishes it with the 直播券. Talent recognitions: 人社部门. The LPR: the administrator.
 */
export const REGISTERS: Readonly<Record<RegisterKind, RegisterDefinition>> = {
  'carrier-tenants': {
    kind: 'carrier-tenants',
    zh: '载体入驻企业名录',
    keptBy: { departments: ['yangpu-investment', 'huangpu', 'xuhui'] },
    subjectLabel: '统一社会信用代码',
    subjectKind: 'credit-code',
    nameLabel: '企业名称',
    detail: [{ name: 'carrier', label: '入驻载体', kind: 'text', required: true }],
    description: '入驻 V聚场 等认定载体的企业：入驻载体、起止日期。',
  },
  'key-enterprises': {
    kind: 'key-enterprises',
    zh: '重点文创企业名录及认定创作者',
    keptBy: { departments: ['culture-tourism'] },
    subjectLabel: '统一社会信用代码',
    subjectKind: 'credit-code',
    nameLabel: '名称',
    detail: [{ name: 'category', label: '类别', kind: 'choice', required: true, choices: ['重点文创企业', '认定创作者'] }],
    description: '列入重点文创企业名录的企业和经认定的创作者。',
  },
  'live-venues': {
    kind: 'live-venues',
    zh: '共享直播场地名单',
    keptBy: { departments: ['yangpu-investment'] },
    subjectLabel: '场地名称',
    subjectKind: 'text',
    nameLabel: '场地名称',
    detail: [{ name: 'address', label: '地址', kind: 'text', required: false }],
    description: '公布的共享直播场地，直播券只能用于名单内的场地。',
  },
  'national-selections': {
    kind: 'national-selections',
    zh: '国家级评选入选名单',
    keptBy: { departments: ['culture-tourism'] },
    subjectLabel: '统一社会信用代码',
    subjectKind: 'credit-code',
    nameLabel: '企业名称',
    detail: [
      { name: 'itemId', label: '作品或项目编号', kind: 'text', required: true },
      { name: 'selection', label: '入选项目', kind: 'text', required: true },
    ],
    description: '入选广电总局精品创作传播工程等国家级评选的作品及其出品企业。',
  },
  'talent-recognitions': {
    kind: 'talent-recognitions',
    zh: '本市人才引进标准认定',
    keptBy: { departments: ['hrss'] },
    subjectLabel: '统一社会信用代码（企业）或账号编号（个人）',
    subjectKind: 'credit-code-or-account',
    nameLabel: '姓名或企业名称',
    detail: [{ name: 'basis', label: '认定依据', kind: 'text', required: true }],
    description: '经认定符合本市人才引进标准的个人或企业。',
  },
  lpr: {
    kind: 'lpr',
    zh: '贷款市场报价利率（LPR）',
    keptBy: { admin: true },
    subjectLabel: '月份（YYYY-MM）',
    subjectKind: 'month',
    nameLabel: '说明',
    detail: [
      { name: 'oneYearBasisPoints', label: '1年期 LPR（基点）', kind: 'basis-points', required: true },
      { name: 'overFiveYearsBasisPoints', label: '5年期以上 LPR（基点）', kind: 'basis-points', required: true },
    ],
    description: '每月公布的贷款市场报价利率，自公布之日起适用；贴息按申请时最近一次公布的同期 LPR 计算。',
  },
};

export type EntryDetail = Record<string, string | number>;

/** One entry as the register holds it: who or what it names, from when, and until when. */
export interface RegisterEntry {
  entryId: string;
  kind: RegisterKind;
  /** What a look-up finds it by: a 统一社会信用代码, an account id, a venue's name, a month. */
  subject: string;
  name: string;
  detail: EntryDetail;
  from: LocalDate;
  /** The last day it holds; null while open-ended. */
  to: LocalDate | null;
  ended: { on: LocalDate; by: RegisterActor; reason: string } | null;
  addedBy: RegisterActor;
  revision: number;
}

export type RegisterActor = Pick<Actor, 'accountId' | 'displayName'> & { department?: Department | undefined; role: Actor['role'] };

export interface EntryFields {
  subject: string;
  name: string;
  detail: EntryDetail;
  from: LocalDate;
  to: LocalDate | null;
}

export type RegisterCommand =
  | { type: 'AddEntry'; entryId: string; fields: EntryFields; reason: string }
  | { type: 'ChangeEntry'; entryId: string; fields: Partial<EntryFields>; reason: string }
  | { type: 'EndEntry'; entryId: string; endedOn: LocalDate; reason: string };

export type RegisterEvent =
  | { type: 'RegisterEntryAdded'; data: { kind: RegisterKind; entryId: string; fields: EntryFields; by: RegisterActor; reason: string; at: string } }
  | { type: 'RegisterEntryChanged'; data: { kind: RegisterKind; entryId: string; before: EntryFields; after: EntryFields; by: RegisterActor; reason: string; at: string } }
  | { type: 'RegisterEntryEnded'; data: { kind: RegisterKind; entryId: string; endedOn: LocalDate; by: RegisterActor; reason: string; at: string } };

export interface RegisterState {
  kind: RegisterKind;
  entries: Record<string, RegisterEntry>;
}

export const initialRegisterState = (kind: RegisterKind): RegisterState => ({ kind, entries: {} });

export function evolveRegister(state: RegisterState, event: RegisterEvent): RegisterState {
  const entries = { ...state.entries };
  const d = event.data;
  switch (event.type) {
    case 'RegisterEntryAdded': {
      const f = event.data.fields;
      entries[d.entryId] = { entryId: d.entryId, kind: d.kind, ...f, ended: null, addedBy: d.by, revision: 1 };
      break;
    }
    case 'RegisterEntryChanged': {
      const before = entries[d.entryId];
      if (before) entries[d.entryId] = { ...before, ...event.data.after, revision: before.revision + 1 };
      break;
    }
    case 'RegisterEntryEnded': {
      const before = entries[d.entryId];
      if (before) entries[d.entryId] = { ...before, to: event.data.endedOn, ended: { on: event.data.endedOn, by: d.by, reason: d.reason }, revision: before.revision + 1 };
      break;
    }
  }
  return { ...state, entries };
}

/** Whether this actor keeps this register: an official of a keeping department, or the administrator for the LPR. */
export function keeperRefusal(kind: RegisterKind, actor: Pick<Actor, 'role' | 'department'>): string | undefined {
  const def = REGISTERS[kind];
  if ('admin' in def.keptBy) return actor.role === 'admin' ? undefined : `${def.zh}由系统管理员维护，您不能修改。`;
  const departments = def.keptBy.departments;
  if (actor.role === 'official' && actor.department && departments.includes(actor.department)) return undefined;
  return `${def.zh}由${departments.map((d) => DEPARTMENTS[d]).join('、')}的工作人员维护，您不能修改。`;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export { isCreditCode };

function checkFields(kind: RegisterKind, fields: EntryFields): void {
  const def = REGISTERS[kind];
  const issues: { field: string; message: string }[] = [];
  const subject = fields.subject;
  if (def.subjectKind === 'credit-code' && !isCreditCode(subject)) issues.push({ field: 'subject', message: creditCodeProblem(subject)! });
  if (def.subjectKind === 'month' && !MONTH.test(subject)) issues.push({ field: 'subject', message: '月份格式应为 YYYY-MM' });
  if (def.subjectKind === 'credit-code-or-account' && !isCreditCode(subject) && !/^acct-[a-z0-9-]{1,80}$/.test(subject)) {
    issues.push({ field: 'subject', message: '请填写企业的统一社会信用代码或个人的账号编号（acct-…）' });
  }
  if (subject.trim() === '') issues.push({ field: 'subject', message: `请填写${def.subjectLabel}` });
  if (fields.name.trim() === '') issues.push({ field: 'name', message: `请填写${def.nameLabel}` });
  for (const f of def.detail) {
    const value = fields.detail[f.name];
    if (value === undefined || value === '') {
      if (f.required) issues.push({ field: `detail.${f.name}`, message: `请填写${f.label}` });
      continue;
    }
    if (f.kind === 'basis-points' && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 10_000)) {
      issues.push({ field: `detail.${f.name}`, message: `${f.label}应为 0 到 10000 之间的整数` });
    }
    if (f.kind === 'choice' && !f.choices!.includes(String(value))) issues.push({ field: `detail.${f.name}`, message: `${f.label}只能是：${f.choices!.join('、')}` });
    if (f.kind === 'text' && typeof value !== 'string') issues.push({ field: `detail.${f.name}`, message: `${f.label}应为文字` });
  }
  const unknown = Object.keys(fields.detail).filter((name) => !def.detail.some((f) => f.name === name));
  if (unknown.length > 0) issues.push({ field: 'detail', message: `${def.zh}没有这些项目：${unknown.join('、')}` });
  if (fields.to !== null && compareDates(fields.to, fields.from) < 0) issues.push({ field: 'to', message: '截止日期不能早于起始日期' });
  if (issues.length > 0) throw validationError(`${def.zh}的条目有误：${issues.map((i) => i.message).join('；')}`, issues);
}

function entryFieldsOf(entry: RegisterEntry): EntryFields {
  return { subject: entry.subject, name: entry.name, detail: entry.detail, from: entry.from, to: entry.to };
}

/**
 * Adds, changes or ends an entry. Every change names its reason; only the register's keepers
 * write; an ended entry stays (its history is what old cases were answered by) and is not changed again.
 */
export function decideRegister(state: RegisterState, command: RegisterCommand, context: { actor: Actor; now: number }): RegisterEvent[] {
  const { actor, now } = context;
  const kind = state.kind;
  const refusal = keeperRefusal(kind, actor);
  if (refusal) throw forbidden(refusal);
  const reason = command.reason.trim();
  if (reason === '') throw validationError('每次修改名录都须说明理由。', [{ field: 'reason', message: '请填写理由' }]);
  const by: RegisterActor = { accountId: actor.accountId, displayName: actor.displayName, role: actor.role, ...(actor.department ? { department: actor.department } : {}) };
  const at = new Date(now).toISOString();
  const existing = state.entries[command.entryId];
  switch (command.type) {
    case 'AddEntry': {
      if (existing) throw illegalState(`条目 ${command.entryId} 已存在。`);
      checkFields(kind, command.fields);
      if (kind === 'lpr' && Object.values(state.entries).some((e) => e.subject === command.fields.subject && !e.ended)) {
        throw illegalState(`${command.fields.subject} 的 LPR 已登记；如有更正，请修改该条目。`);
      }
      const same = sameEntryHeld(state, command.fields);
      if (same) {
        const period = `${same.from} 起${same.to ? `至 ${same.to}` : '，未定截止日期'}`;
        throw illegalState(`${REGISTERS[kind].zh}已有这一条目：${same.name}（${same.subject}，${period}，条目 ${same.entryId}）。如需改期限或名称，请修改该条目。`);
      }
      return [{ type: 'RegisterEntryAdded', data: { kind, entryId: command.entryId, fields: command.fields, by, reason, at } }];
    }
    case 'ChangeEntry': {
      if (!existing) throw notFound(`${REGISTERS[kind].zh}中没有条目 ${command.entryId}。`);
      if (existing.ended) throw illegalState(`条目 ${command.entryId} 已于 ${existing.ended.on} 终止，不能再修改；如需恢复请新增条目。`);
      const before = entryFieldsOf(existing);
      const after: EntryFields = { ...before, ...command.fields, detail: { ...before.detail, ...(command.fields.detail ?? {}) } };
      checkFields(kind, after);
      return [{ type: 'RegisterEntryChanged', data: { kind, entryId: command.entryId, before, after, by, reason, at } }];
    }
    case 'EndEntry': {
      if (!existing) throw notFound(`${REGISTERS[kind].zh}中没有条目 ${command.entryId}。`);
      if (existing.ended) throw illegalState(`条目 ${command.entryId} 已于 ${existing.ended.on} 终止。`);
      if (compareDates(command.endedOn, existing.from) < 0) throw validationError(`终止日期不能早于条目起始日期 ${existing.from}。`, [{ field: 'endedOn', message: '早于起始日期' }]);
      return [{ type: 'RegisterEntryEnded', data: { kind, entryId: command.entryId, endedOn: command.endedOn, by, reason, at } }];
    }
  }
}

/**
 * An entry still in force that says the same of the same subject (the same details) for days that
 * overlap: a form sent twice listed the same V聚场 tenant twice, and a change to one left the other
 * standing. Another carrier, or days that do not overlap (a tenant who left and came back), is
 * another entry.
 */
function sameEntryHeld(state: RegisterState, fields: EntryFields): RegisterEntry | undefined {
  const detail = detailKey(fields.detail);
  return Object.values(state.entries).find(
    (e) => !e.ended && e.subject === fields.subject && detailKey(e.detail) === detail && overlaps(e, fields),
  );
}

function detailKey(detail: EntryDetail): string {
  return JSON.stringify(Object.entries(detail).filter(([, value]) => value !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function overlaps(a: Pick<EntryFields, 'from' | 'to'>, b: Pick<EntryFields, 'from' | 'to'>): boolean {
  return (a.to === null || compareDates(b.from, a.to) <= 0) && (b.to === null || compareDates(a.from, b.to) <= 0);
}

/** Whether the entry holds on the day: from its first day through its last (or open-ended). */
export function holdsOn(entry: Pick<RegisterEntry, 'from' | 'to'>, on: LocalDate): boolean {
  return compareDates(entry.from, on) <= 0 && (entry.to === null || compareDates(on, entry.to) <= 0);
}
