import type { Selectable } from 'kysely';
import type { Actor } from '../../domain/cases/actor.js';
import { filingFactSource, filingNoProblem, systemFilingNo } from '../../domain/drama-filing/filing-number.js';
import type { FieldIssue } from '../../domain/errors.js';
import { answerStatedFilingNo } from './drama-filings.js';
import { answerFacts, registersNeeded, type FactAnswers, type FactKeys, type RegisterEntries } from '../../domain/registers/answer-facts.js';
import { decideRegister, type RegisterCommand, type RegisterEntry, type RegisterKind, type RegisterState } from '../../domain/registers/registers.js';
import type { ApplicationFacts, FactName } from '../../domain/programmes/programme.js';
import type { LocalDate } from '../../domain/time/local-date.js';
import type { Db } from '../client.js';
import { decideAndAppend } from '../decision-append.js';
import { projectReadModels } from '../projections/index.js';
import { REGISTER_STREAM, registerStreamId } from '../projections/register.projection.js';
import type { RegisterEntriesTable } from '../tables/register-entries.table.js';

export function entryOfRow(row: Selectable<RegisterEntriesTable>): RegisterEntry {
  return {
    entryId: row.entry_id,
    kind: row.kind as RegisterKind,
    subject: row.subject,
    name: row.name,
    detail: row.detail,
    from: row.valid_from as LocalDate,
    to: row.valid_to as LocalDate | null,
    ended: row.ended as RegisterEntry['ended'],
    addedBy: row.added_by as RegisterEntry['addedBy'],
    revision: row.revision,
  };
}

export async function registerEntries(db: Db, kind: RegisterKind): Promise<Selectable<RegisterEntriesTable>[]> {
  return db.selectFrom('register_entries').selectAll().where('kind', '=', kind).orderBy('valid_from', 'desc').orderBy('entry_id').execute();
}

/**
 * Decides a change to a register on its entries as the read model holds them and appends its event
 * to register-<kind>, the row written in the same transaction. A change to another entry recorded
 * in between is decided again on (decideAndAppend); a change to the entry this one edits or ends
 * fails it (409), so nobody's edit is laid over one they did not see.
 */
export async function recordRegisterChange(db: Db, kind: RegisterKind, command: RegisterCommand, actor: Actor, now: () => Date): Promise<RegisterEntry> {
  let revisionSeen: number | undefined;
  await decideAndAppend(
    db,
    { streamId: registerStreamId(kind), streamType: REGISTER_STREAM },
    async (conflict) => {
      const rows = await registerEntries(db, kind);
      const state: RegisterState = { kind, entries: Object.fromEntries(rows.map((r) => [r.entry_id, entryOfRow(r)])) };
      const revision = state.entries[command.entryId]?.revision;
      if (conflict && command.type !== 'AddEntry' && revision !== revisionSeen) throw conflict;
      revisionSeen = revision;
      return decideRegister(state, command, { actor, now: now().getTime() });
    },
    actor,
    { now, project: projectReadModels },
  );
  const row = await db.selectFrom('register_entries').selectAll().where('kind', '=', kind).where('entry_id', '=', command.entryId).executeTakeFirstOrThrow();
  return entryOfRow(row);
}

/**
 * The answers of the registers to the facts a programme reads, as of `on`: used by the API's
 * check before a workflow starts and by the look-up activity whose answer the case records.
 */
export async function lookUpRegisterFacts(db: Db, input: { requiredFacts: readonly FactName[]; facts: ApplicationFacts; keys: FactKeys; on: LocalDate }): Promise<FactAnswers> {
  const kinds = registersNeeded([...input.requiredFacts, ...(Object.keys(input.facts) as FactName[])]);
  const registers: RegisterEntries = {};
  for (const kind of kinds) registers[kind] = (await registerEntries(db, kind)).map(entryOfRow);
  const answers = answerFacts(input.requiredFacts, input.facts, registers, input.keys, input.on);
  // An item named by a 备案号 of the system's own (徐汇's 优质作品 asks a drama's 备案号 there) is checked as the stated 备案号 is.
  const item = input.facts.itemId;
  const itemProblem = typeof item === 'string' && systemFilingNo(item) !== undefined ? filingNoProblem(await answerStatedFilingNo(db, item, input.keys.applicantAccountId), 'facts.itemId') : undefined;
  // A 备案号 stated is answered by the filings the system keeps: its own filing's number is checked, another's or none refused.
  const stated = input.facts.dramaFilingNo;
  if (typeof stated !== 'string' || stated.trim() === '') return { ...answers, ...(itemProblem ? { problems: [itemProblem] } : {}) };
  const filing = await answerStatedFilingNo(db, stated, input.keys.applicantAccountId);
  const source = filingFactSource(filing, input.on);
  const problems = [filingNoProblem(filing), itemProblem].filter((p): p is FieldIssue => p !== undefined);
  return { ...answers, ...(source ? { sources: { ...answers.sources, dramaFilingNo: source } } : {}), ...(problems.length ? { problems } : {}) };
}
