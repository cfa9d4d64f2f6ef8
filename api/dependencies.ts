import type { Client } from '@temporalio/client';
import type { WorkingDayCalendar } from '../domain/time/working-days.js';
import type { Db } from '../db/client.js';
import type { AuditSettings } from '../audit/audit-settings.js';
import type { PersonalDataVault } from '../db/personal-data-vault.js';

export interface ApiDependencies {
  db: Db;
  temporal: Client;
  taskQueue: string;
  clock: () => Date;
  calendar: () => Promise<WorkingDayCalendar>;
  /** The checkpoint key and workflow bundle for /api/audit/…; without a key, checkpoints cannot be made on demand. */
  audit?: AuditSettings;
  /** The encrypted store of 身份证号 and phone numbers (PERSONAL_DATA_KEY); without it, personal data can be neither given nor shown. */
  personalData?: PersonalDataVault;
}
