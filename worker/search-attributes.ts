import { encodeSearchAttributeIndexedValueType, type SearchAttributeKey } from '@temporalio/common/lib/search-attributes.js';
import type { SearchAttributeType } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { CASE_SEARCH_ATTRIBUTES } from '../workflows/case-search-attributes.js';

type OperatorService = Pick<NativeConnection, 'operatorService'>;

/** gRPC codes: the key exists already (another worker registered it at the same moment); the server has no such call. */
const ALREADY_EXISTS = 6;
const UNIMPLEMENTED = 12;

function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The keys the server lists for the namespace, or undefined where it cannot list them (the time-skipping test server). */
async function registeredKeys(connection: OperatorService, namespace: string): Promise<Map<string, number> | undefined> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return new Map(Object.entries(customAttributes ?? {}).map(([name, type]) => [name, Number(type)]));
  } catch (error) {
    if (codeOf(error) === UNIMPLEMENTED) return undefined;
    throw error;
  }
}

/**
 * Registers the search attributes the case workflows set (CaseType, CaseStatus, ReferenceNo, …) in
 * `namespace`; keys already there are left alone, so it is safe on every start of every worker.
 * A workflow that sets a key the server does not know fails its workflow task, so a worker runs
 * case workflows only after this has succeeded. Works on the dev server, the time-skipping test
 * server and a self-hosted cluster; where the operator API is not allowed (Temporal Cloud), register
 * the keys beforehand (tcld) and this only checks them.
 */
export async function registerCaseSearchAttributes(
  connection: OperatorService,
  namespace = 'default',
  keys: readonly SearchAttributeKey<SearchAttributeType>[] = CASE_SEARCH_ATTRIBUTES,
): Promise<void> {
  const wanted = new Map(keys.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]));
  let existing: Map<string, number> | undefined;
  try {
    existing = await registeredKeys(connection, namespace);
  } catch {
    existing = undefined; // Not allowed to list: try adding, the answer says whether it is needed.
  }
  const clash = [...wanted].find(([name, type]) => existing?.has(name) && existing.get(name) !== type);
  if (clash) {
    throw new Error(`search attribute ${clash[0]} is registered in namespace ${namespace} with another type (${existing!.get(clash[0])}, not ${clash[1]}): remove it or use another namespace`);
  }
  const missing = Object.fromEntries([...wanted].filter(([name]) => !existing?.has(name)));
  if (Object.keys(missing).length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (error) {
    if (codeOf(error) === ALREADY_EXISTS) return;
    // Not allowed to add (a managed cluster): fine if they are all there after all.
    const after = await registeredKeys(connection, namespace).catch(() => undefined);
    if (after && [...wanted].every(([name, type]) => after.get(name) === type)) return;
    throw new Error(
      `the case search attributes (${[...wanted.keys()].join(', ')}) could not be registered in namespace ${namespace}: ${(error as Error).message}. ` +
        'Register them as an operator (temporal operator search-attribute create) before starting workers.',
    );
  }
}
