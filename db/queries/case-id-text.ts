import { sql, type Expression, type RawBuilder } from 'kysely';

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * A case id written as text (a call's `call_id`, an application's `details.call.callId`, a route's
 * parameter) as the uuid `cases.case_id` is, or NULL when the text is not one (the 雏鹰 pool's call,
 * a mistyped address): so `cases.case_id = caseIdFromText(…)` finds the case by its primary key.
 * Comparing `cases.case_id::text` instead reads every case, the whole table however large it grows.
 */
export function caseIdFromText(text: Expression<string | null> | RawBuilder<string | null>): RawBuilder<string | null> {
  // Text first: a bound parameter would otherwise be typed uuid by the cast, and refused before the test.
  return sql<string | null>`(CASE WHEN (${text})::text ~ ${UUID_PATTERN} THEN (${text})::text::uuid END)`;
}
