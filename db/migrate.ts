import { readEnvironment } from '../config/environment.js';
import { migrateWithRoles } from './privileges.js';

/**
 * `npm run migrate`: brings the schema up to date as DATABASE_OWNER_URL's role, then grants
 * DATABASE_URL's role (the API's and the worker's) what it needs; exits non-zero on failure.
 * Without DATABASE_OWNER_URL it migrates as DATABASE_URL's role, as a single-role deployment did.
 */
const { databaseUrl, databaseOwnerUrl } = readEnvironment();
if (!databaseUrl) {
  console.error('DATABASE_URL is not set (npm start migrates its embedded database by itself)');
  process.exit(2);
}
try {
  const applied = await migrateWithRoles({ ownerUrl: databaseOwnerUrl, appUrl: databaseUrl, say: (line) => console.error(line) });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
