import { readEnvironment } from '../config/environment.js';
import { createDb } from './client.js';
import { migrateToLatest } from './migrations/index.js';

/** `npm run migrate`: brings DATABASE_URL's schema up to date; exits non-zero on failure. */
const { databaseUrl } = readEnvironment();
if (!databaseUrl) {
  console.error('DATABASE_URL is not set (npm start migrates its embedded database by itself)');
  process.exit(2);
}
const db = createDb(databaseUrl);
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
