import type { Client } from '@temporalio/client';
import type { WorkingDayCalendar } from '../domain/time/working-days.js';
import type { Db } from '../db/client.js';

export interface ApiDependencies {
  db: Db;
  temporal: Client;
  taskQueue: string;
  clock: () => Date;
  calendar: () => Promise<WorkingDayCalendar>;
}
