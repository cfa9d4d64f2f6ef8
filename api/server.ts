import { Client, Connection } from '@temporalio/client';
import { readEnvironment, temporalConnectionOptions } from '../config/environment.js';
import { packagedCalendar } from '../db/calendar/official-arrangements.js';
import { createDb } from '../db/client.js';
import { CASES_TASK_QUEUE } from '../workflows/task-queues.js';
import { buildApp } from './app.js';

/** `npm run api`: the API alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
const environment = readEnvironment();
if (!environment.databaseUrl || !environment.temporalAddress) {
  console.error('set DATABASE_URL and TEMPORAL_ADDRESS (or use `npm start`, which runs everything locally)');
  process.exit(2);
}
const db = createDb(environment.databaseUrl);
const connection = await Connection.connect(temporalConnectionOptions(environment, environment.temporalAddress));
const temporal = new Client({ connection, namespace: environment.temporalNamespace });
const app = await buildApp({ db, temporal, taskQueue: CASES_TASK_QUEUE, clock: () => new Date(), calendar: async () => packagedCalendar() }, { logger: true });
await app.listen({ host: environment.host, port: environment.port });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await connection.close();
    await db.destroy();
  });
}
