import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEPARTMENTS } from '../../domain/cases/actor.js';
import { holdsOn, isRegisterKind, keeperRefusal, REGISTER_KINDS, REGISTERS, type EntryFields, type RegisterEntry, type RegisterKind } from '../../domain/registers/registers.js';
import { shanghaiDateOf, type LocalDate } from '../../domain/time/local-date.js';
import { entryOfRow, recordRegisterChange, registerEntries } from '../../db/registers/register-store.js';
import { actorOf, type Account } from '../auth/sessions.js';
import type { ApiDependencies } from '../dependencies.js';
import { HttpError } from '../http-errors.js';
import { route } from '../route.js';
import { localDate, text } from '../schemas/common.schemas.js';

const kindParams = z.strictObject({
  kind: z.string().refine(isRegisterKind, `登记名录只有：${REGISTER_KINDS.join('、')}`).meta({ description: REGISTER_KINDS.join(' | ') }),
});
const entryParams = kindParams.extend({ entryId: z.string().regex(/^[A-Za-z0-9-]{1,80}$/, '条目编号只含字母、数字和连字符') });

const detailValue = z.union([z.string().trim().max(200, '不超过 200 字'), z.int().min(0).max(100_000)]);
const detail = z.record(z.string().regex(/^[A-Za-z]{1,40}$/, '项目名只含字母'), detailValue).refine((d) => Object.keys(d).length <= 10, '项目不超过 10 个');
const reason = text(500).meta({ title: '理由', description: '每次修改名录都须说明理由' });

const entryBody = z.strictObject({
  subject: text(100).meta({ title: '统一社会信用代码 / 月份 / 场地名称' }),
  name: text(200).meta({ title: '名称' }),
  detail: detail.default({}),
  from: localDate.meta({ title: '起始日期', format: 'date' }),
  to: localDate.nullable().optional().meta({ title: '截止日期（可空）', format: 'date' }),
  reason,
});
const changeBody = z.strictObject({
  subject: text(100).optional(),
  name: text(200).optional(),
  detail: detail.optional(),
  from: localDate.optional(),
  to: localDate.nullable().optional(),
  reason,
});
const endBody = z.strictObject({ endedOn: localDate.meta({ title: '终止日期', format: 'date' }), reason });
const listQuery = z.strictObject({
  q: z.string().trim().max(100, '不超过 100 字').optional().meta({ description: '按统一社会信用代码、名称或月份查找' }),
  asOf: localDate.optional().meta({ description: '只列出这一天有效的条目（YYYY-MM-DD）' }),
});

/** Who may read the registers: every official (their cases are answered by them), auditors and the administrator (who keeps the LPR). */
function requireReader(account: Account): void {
  if (account.role !== 'official' && account.role !== 'auditor' && account.role !== 'admin') throw new HttpError(403, 'forbidden', '登记名录仅供工作人员和审计人员查阅。');
}

function keptBy(kind: RegisterKind): string {
  const def = REGISTERS[kind];
  return 'admin' in def.keptBy ? '系统管理员' : def.keptBy.departments.map((d) => DEPARTMENTS[d]).join('、');
}

function definitionView(kind: RegisterKind, account: Account) {
  const def = REGISTERS[kind];
  return {
    kind,
    zh: def.zh,
    description: def.description,
    keptBy: keptBy(kind),
    subjectLabel: def.subjectLabel,
    nameLabel: def.nameLabel,
    detail: def.detail,
    /** Whether the caller keeps it (the page offers add, change and end only then). */
    canWrite: keeperRefusal(kind, account) === undefined,
  };
}

function entryView(entry: RegisterEntry, row: { last_change: unknown; updated_at: Date }, today: LocalDate) {
  return { ...entry, current: holdsOn(entry, today) && !entry.ended, lastChange: row.last_change, updatedAt: row.updated_at.toISOString() };
}

/**
 * Registers kept by departments (issue 14): read by officials and auditors, written by the
 * register's keepers only, every write with its reason. Each write is an event on register-<kind>.
 */
export function departmentRegisterRoutes(deps: ApiDependencies) {
  const { db, clock } = deps;

  function writer(kind: RegisterKind, account: Account) {
    const refusal = keeperRefusal(kind, account);
    if (refusal) throw new HttpError(403, 'forbidden', refusal);
    return actorOf(account);
  }

  async function answerEntry(kind: RegisterKind, entry: RegisterEntry) {
    const row = await db.selectFrom('register_entries').select(['last_change', 'updated_at']).where('kind', '=', kind).where('entry_id', '=', entry.entryId).executeTakeFirstOrThrow();
    return entryView(entry, row, shanghaiDateOf(clock()));
  }

  return [
    route({
      method: 'GET',
      url: '/api/registers',
      summary: 'Officials, auditors, the administrator: the registers kept by departments, who keeps each, and how many entries hold today',
      tag: 'registers',
      access: 'signed-in',
      async handle({ account }) {
        requireReader(account!);
        const today = shanghaiDateOf(clock());
        const rows = await db.selectFrom('register_entries').select(['kind', 'valid_from', 'valid_to', 'ended']).execute();
        return {
          registers: REGISTER_KINDS.map((kind) => {
            const mine = rows.filter((r) => r.kind === kind);
            const current = mine.filter((r) => !r.ended && holdsOn({ from: r.valid_from as LocalDate, to: r.valid_to as LocalDate | null }, today)).length;
            return { ...definitionView(kind, account!), entries: mine.length, current };
          }),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/registers/:kind',
      summary: 'Officials, auditors, the administrator: the entries of one register, searched by code, name or month, optionally as of a date',
      tag: 'registers',
      access: 'signed-in',
      params: kindParams,
      query: listQuery,
      async handle({ params, query, account }) {
        requireReader(account!);
        const kind = params.kind as RegisterKind;
        const today = shanghaiDateOf(clock());
        const needle = query.q?.toUpperCase();
        const rows = (await registerEntries(db, kind)).filter((r) => {
          if (needle && !r.subject.toUpperCase().includes(needle) && !r.name.toUpperCase().includes(needle)) return false;
          return query.asOf ? holdsOn({ from: r.valid_from as LocalDate, to: r.valid_to as LocalDate | null }, query.asOf as LocalDate) : true;
        });
        return { register: definitionView(kind, account!), entries: rows.map((r) => entryView(entryOfRow(r), r, today)) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/registers/:kind/entries',
      summary: "The register's keepers (an official of its department; the administrator for the LPR): add an entry, with the reason",
      tag: 'registers',
      access: 'signed-in',
      params: kindParams,
      body: entryBody,
      status: 201,
      async handle({ params, body, account }) {
        const kind = params.kind as RegisterKind;
        const actor = writer(kind, account!);
        const fields: EntryFields = { subject: body.subject, name: body.name, detail: body.detail, from: body.from as LocalDate, to: (body.to ?? null) as LocalDate | null };
        const entry = await recordRegisterChange(db, kind, { type: 'AddEntry', entryId: `RE-${randomUUID()}`, fields, reason: body.reason }, actor, clock);
        return answerEntry(kind, entry);
      },
    }),
    route({
      method: 'POST',
      url: '/api/registers/:kind/entries/:entryId/change',
      summary: "The register's keepers: change an entry (its code, name, details or dates), with the reason",
      tag: 'registers',
      access: 'signed-in',
      params: entryParams,
      body: changeBody,
      refusals: [404],
      async handle({ params, body, account }) {
        const kind = params.kind as RegisterKind;
        const actor = writer(kind, account!);
        const { reason: why, ...rest } = body;
        const fields: Partial<EntryFields> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
        const entry = await recordRegisterChange(db, kind, { type: 'ChangeEntry', entryId: params.entryId, fields, reason: why }, actor, clock);
        return answerEntry(kind, entry);
      },
    }),
    route({
      method: 'POST',
      url: '/api/registers/:kind/entries/:entryId/end',
      summary: "The register's keepers: end an entry on a date (it stays in the register's history), with the reason",
      tag: 'registers',
      access: 'signed-in',
      params: entryParams,
      body: endBody,
      refusals: [404],
      async handle({ params, body, account }) {
        const kind = params.kind as RegisterKind;
        const actor = writer(kind, account!);
        const entry = await recordRegisterChange(db, kind, { type: 'EndEntry', entryId: params.entryId, endedOn: body.endedOn as LocalDate, reason: body.reason }, actor, clock);
        return answerEntry(kind, entry);
      },
    }),
  ];
}
