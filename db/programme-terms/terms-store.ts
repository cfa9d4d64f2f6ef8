import type { Selectable, Transaction } from 'kysely';
import { codeTimeLimitsOf, findProgrammeAt, programmeOfTerms, type ApplicationTerms, type OpeningTerms } from '../../domain/applications/terms.js';
import type { Actor } from '../../domain/cases/actor.js';
import { PROGRAMMES } from '../../domain/programmes/catalogue.js';
import type { Programme } from '../../domain/programmes/programme.js';
import { entriesConcerning, type StackingSide } from '../../domain/programmes/stacking.js';
import { codeTermsOf, type PublishedTerms } from '../../domain/programme-terms/published-terms.js';
import { currentMatrix, decideStackingMatrix, type StackingChange, type StackingCommand, type StackingEvent } from '../../domain/programme-terms/stacking-matrix.js';
import { decideTerms, versionInForce, type TermsCommand, type TermsEvent, type TermsVersion } from '../../domain/programme-terms/terms-versions.js';
import type { LocalDate } from '../../domain/time/local-date.js';
import type { Db } from '../client.js';
import type { Database } from '../database.js';
import { appendDecision, decideAndAppend, streamVersion } from '../decision-append.js';
import type { Projection, StoredEvent } from '../event-store.js';
import type { ProgrammeTermsVersionsTable, StackingMatrixChangesTable } from '../tables/programme-terms.table.js';

export const PROGRAMME_TERMS_STREAM = 'programme-terms';
export const STACKING_MATRIX_STREAM = 'stacking-matrix';
export const programmeTermsStreamId = (programmeId: string) => `programme-terms-${programmeId}`;
const STACKING_MATRIX_STREAM_ID = 'stacking-matrix';

export function termsVersionOfRow(row: Selectable<ProgrammeTermsVersionsTable>): TermsVersion {
  return {
    programmeId: row.programme_id,
    version: row.version,
    terms: row.terms as unknown as PublishedTerms,
    effectiveFrom: row.effective_from as LocalDate,
    status: row.status,
    drafted: row.drafted,
    decided: row.decided,
  };
}

export function stackingChangeOfRow(row: Selectable<StackingMatrixChangesTable>): StackingChange {
  return {
    changeId: row.change_id,
    between: row.between_sides as unknown as [StackingSide, StackingSide],
    verdict: row.verdict,
    status: row.status,
    proposed: row.proposed,
    decided: row.decided,
    matrixVersion: row.matrix_version,
  };
}

export async function termsVersions(db: Db, programmeId: string): Promise<TermsVersion[]> {
  const rows = await db.selectFrom('programme_terms_versions').selectAll().where('programme_id', '=', programmeId).orderBy('version').execute();
  return rows.map(termsVersionOfRow);
}

export async function allTermsVersions(db: Db): Promise<TermsVersion[]> {
  return (await db.selectFrom('programme_terms_versions').selectAll().orderBy('programme_id').orderBy('version').execute()).map(termsVersionOfRow);
}

export async function stackingChanges(db: Db): Promise<StackingChange[]> {
  return (await db.selectFrom('stacking_matrix_changes').selectAll().orderBy('updated_at').execute()).map(stackingChangeOfRow);
}

/** The rows the events write, in the appending transaction: each version and change with who decided it and why. */
export const projectProgrammeTerms: Projection = async (trx: Transaction<Database>, _streamType: string, events: readonly StoredEvent[]) => {
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as unknown as TermsEvent | StackingEvent;
    switch (event.type) {
      case 'ProgrammeTermsDrafted': {
        const d = event.data;
        await trx
          .insertInto('programme_terms_versions')
          .values({
            programme_id: d.programmeId,
            version: d.version,
            terms: JSON.stringify(d.terms),
            effective_from: d.effectiveFrom,
            status: 'draft',
            drafted: JSON.stringify({ by: d.by, reason: d.reason, at: d.at }),
            decided: null,
            updated_at: stored.recordedAt,
          })
          .execute();
        break;
      }
      case 'ProgrammeTermsApproved':
      case 'ProgrammeTermsRejected': {
        const d = event.data;
        const note = event.type === 'ProgrammeTermsApproved' ? event.data.note : event.data.reason;
        await trx
          .updateTable('programme_terms_versions')
          .set({ status: event.type === 'ProgrammeTermsApproved' ? 'approved' : 'rejected', decided: JSON.stringify({ by: d.by, note, at: d.at }), updated_at: stored.recordedAt })
          .where('programme_id', '=', d.programmeId)
          .where('version', '=', d.version)
          .execute();
        break;
      }
      case 'StackingChangeProposed': {
        const d = event.data;
        await trx
          .insertInto('stacking_matrix_changes')
          .values({ change_id: d.changeId, between_sides: JSON.stringify(d.between), verdict: d.verdict, status: 'proposed', proposed: JSON.stringify({ by: d.by, reason: d.reason, at: d.at }), decided: null, matrix_version: null, updated_at: stored.recordedAt })
          .execute();
        break;
      }
      case 'StackingChangeApproved':
      case 'StackingChangeRejected': {
        const d = event.data;
        const approved = event.type === 'StackingChangeApproved';
        await trx
          .updateTable('stacking_matrix_changes')
          .set({
            status: approved ? 'approved' : 'rejected',
            decided: JSON.stringify({ by: d.by, note: approved ? event.data.note : event.data.reason, at: d.at }),
            matrix_version: approved ? event.data.matrixVersion : null,
            updated_at: stored.recordedAt,
          })
          .where('change_id', '=', d.changeId)
          .execute();
        break;
      }
    }
  }
};

/** Decides a draft, approval or rejection of a measure's terms and appends its event to programme-terms-<id>. */
export async function recordTermsChange(db: Db, programme: Programme, command: TermsCommand, actor: Actor, now: () => Date): Promise<TermsVersion> {
  const streamId = programmeTermsStreamId(programme.id);
  // The version first, then the read model: a change recorded in between fails the append (409).
  const expectedVersion = await streamVersion(db, streamId);
  const versions = await termsVersions(db, programme.id);
  const events = decideTerms({ programmeId: programme.id, versions }, command, { actor, now: now().getTime(), programme });
  await appendDecision(db, { streamId, streamType: PROGRAMME_TERMS_STREAM, expectedVersion, events }, actor, { now, project: projectProgrammeTerms });
  const version = events[0]!.data.version;
  const row = await db.selectFrom('programme_terms_versions').selectAll().where('programme_id', '=', programme.id).where('version', '=', version).executeTakeFirstOrThrow();
  return termsVersionOfRow(row);
}

/** Decides a proposal, approval or rejection of a change to the stacking matrix and appends its event. */
export async function recordStackingChange(db: Db, command: StackingCommand, actor: Actor, now: () => Date): Promise<StackingChange> {
  // Departments propose changes to different pairs at once: one recorded meanwhile is decided on
  // again. An approval or rejection names its proposal, whose status the decider checks again.
  await decideAndAppend(
    db,
    { streamId: STACKING_MATRIX_STREAM_ID, streamType: STACKING_MATRIX_STREAM },
    async () => decideStackingMatrix({ changes: await stackingChanges(db) }, command, { actor, now: now().getTime(), programmes: PROGRAMMES }),
    actor,
    { now, project: projectProgrammeTerms },
  );
  const row = await db.selectFrom('stacking_matrix_changes').selectAll().where('change_id', '=', command.changeId).executeTakeFirstOrThrow();
  return stackingChangeOfRow(row);
}

export async function matrixAsApproved(db: Db) {
  return currentMatrix({ changes: await stackingChanges(db) }, PROGRAMMES);
}

/** The terms of version 0: what the code catalogue has. */
export const codeTerms = (programme: Programme): PublishedTerms => codeTermsOf(programme, codeTimeLimitsOf(programme.id));

/** What a new application opened on `on` opens under: the approved version in force that day, and the matrix as approved now. */
export async function openingTermsFor(db: Db, programme: Programme, on: LocalDate): Promise<OpeningTerms> {
  const inForce = versionInForce(await termsVersions(db, programme.id), on);
  const matrix = await matrixAsApproved(db);
  return {
    ...(inForce
      ? {
          published: {
            version: inForce.version,
            effectiveFrom: inForce.effectiveFrom,
            draftedBy: inForce.drafted.by.displayName,
            approvedBy: inForce.decided?.by.displayName ?? '',
            ...inForce.terms,
          },
        }
      : {}),
    stacking: { matrixVersion: matrix.matrixVersion, entries: entriesConcerning(programme, matrix.entries) },
  };
}

/**
 * Records the snapshot a case opens under before its workflow starts: the workflow's look-ups
 * (assessApplication) read it by the case's id. The first snapshot of a case stands: its workflow
 * started with it, and a second opening of the same case id joins that workflow.
 */
export async function recordOpeningTerms(db: Db, caseId: string, terms: ApplicationTerms): Promise<void> {
  await db
    .insertInto('case_opening_terms')
    .values({ case_id: caseId, programme_id: terms.programmeId, catalogue_version: terms.catalogueVersion, terms: JSON.stringify(terms) })
    // A case's opening terms are written once: a second opening of the same case (a retry) never changes them.
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
}

/**
 * The measure a case is decided under: its opening snapshot (published terms and matrix) where one
 * was recorded, else the catalogue version alone — every case opened before issue 14 part 4.
 */
export async function caseProgramme(db: Db, input: { caseId: string; catalogueVersion: string; programmeId: string }): Promise<Programme | undefined> {
  const row = await db.selectFrom('case_opening_terms').select(['programme_id', 'catalogue_version', 'terms']).where('case_id', '=', input.caseId).executeTakeFirst();
  if (row && row.programme_id === input.programmeId && row.catalogue_version === input.catalogueVersion) return programmeOfTerms(row.terms as unknown as ApplicationTerms);
  return findProgrammeAt(input.catalogueVersion, input.programmeId);
}

