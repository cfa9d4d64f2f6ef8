import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generatePersonalDataKey, parsePersonalDataKey, type PersonalDataKey } from '../db/personal-data-vault.js';
import type { Environment } from './environment.js';

/** The configured personal-data key: PERSONAL_DATA_KEY, else PERSONAL_DATA_KEY_FILE, else the fallback file if it exists. */
export async function loadPersonalDataKey(environment: Environment, fallbackFile?: string): Promise<PersonalDataKey | undefined> {
  if (environment.personalDataKey) return parsePersonalDataKey(environment.personalDataKey, 'PERSONAL_DATA_KEY');
  if (environment.personalDataKeyFile) {
    const text = await readFile(environment.personalDataKeyFile, 'utf8').catch((error: Error) => {
      throw new Error(`PERSONAL_DATA_KEY_FILE ${environment.personalDataKeyFile} cannot be read: ${error.message}`, { cause: error });
    });
    return parsePersonalDataKey(text, environment.personalDataKeyFile);
  }
  if (fallbackFile && existsSync(fallbackFile)) return parsePersonalDataKey(await readFile(fallbackFile, 'utf8'), fallbackFile);
  return undefined;
}

/** The embedded setup's key: the configured one, or one generated into `file` (mode 600) on first start. */
export async function loadOrCreateDevPersonalDataKey(environment: Environment, file: string): Promise<{ key: PersonalDataKey; generated: boolean }> {
  const configured = await loadPersonalDataKey(environment, file);
  if (configured) return { key: configured, generated: false };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${generatePersonalDataKey()}\n`, { mode: 0o600, flag: 'wx' });
  return { key: parsePersonalDataKey(await readFile(file, 'utf8'), file), generated: true };
}
