import { NativeConnection } from '@temporalio/worker';
import { readEnvironment, temporalConnectionOptions } from '../config/environment.js';
import { packagedCalendar } from '../db/calendar/official-arrangements.js';
import { createDb } from '../db/client.js';
import { createCaseWorker } from './create-worker.js';

/** `npm run worker`: a worker alone, against DATABASE_URL and TEMPORAL_ADDRESS (for deployments that scale workers apart). */
const environment = readEnvironment();
if (!environment.databaseUrl || !environment.temporalAddress) {
  console.error('set DATABASE_URL and TEMPORAL_ADDRESS (or use `npm start`, which runs everything locally)');
  process.exit(2);
}
const db = createDb(environment.databaseUrl);
const connection = await NativeConnection.connect(temporalConnectionOptions(environment, environment.temporalAddress));
const worker = await createCaseWorker({ connection, namespace: environment.temporalNamespace, db, clock: () => new Date(), calendar: async () => packagedCalendar() });
await worker.run();
await connection.close();
await db.destroy();
