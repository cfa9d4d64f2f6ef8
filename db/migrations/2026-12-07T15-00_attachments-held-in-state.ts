import { sql, type Kysely } from 'kysely';

/**
 * A case keeps its officials' attachments in its state (domain/documents/official-attachments.ts
 * `holdAttachment`): which department attached which files (id, SHA-256, name) and with which note, so that a file already on the case is not
 * recorded on it again. An outside tester attached one inspection note twenty times at once and the
 * case recorded it twenty times. Rows folded before lack the list; each case's attachment events, in
 * the order recorded, give it here as the fold now writes it, so that the auditor's rebuild of the read
 * models finds no difference. A frozen copy: nothing of domain/ is read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET state = c.state || jsonb_build_object('attachments', (
             SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                      'department', e.payload->'department',
                      'documents', (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('documentId', d->'documentId', 'sha256', d->'sha256', 'name', d->'name')) ORDER BY o), '[]'::jsonb)
                                      FROM jsonb_array_elements(e.payload->'documents') WITH ORDINALITY AS y(d, o)),
                      'note', e.payload->'note',
                      'visibleToApplicant', e.payload->'visibleToApplicant',
                      'attachedAt', e.payload->'attachedAt')) ORDER BY e.global_position)
               FROM events e
              WHERE e.stream_id = c.case_id::text AND e.event_type = 'OfficialDocumentsAttached'))
     WHERE EXISTS (SELECT 1 FROM events e WHERE e.stream_id = c.case_id::text AND e.event_type = 'OfficialDocumentsAttached')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`UPDATE cases SET state = state - 'attachments' WHERE state ? 'attachments'`.execute(db);
}
