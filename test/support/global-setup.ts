import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrations/index.js';
import { grantApplicationRole } from '../../db/privileges.js';
import { APP_ROLE, ensureDatabase, ensureLocalRoles, startEmbeddedPostgres } from '../../dev/embedded-postgres.js';
import { bundleWorkflows } from '../../worker/create-worker.js';

export const TEMPLATE_DATABASE = 'youchuang_template';
const DATA = fileURLToPath(new URL('../../.data/', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's superuser, on the `postgres` database. */
    postgresAdminUrl: string;
    /** The template database as the owner role and as the application role (db/privileges.ts); a test database swaps in its own name. */
    postgresOwnerUrl: string;
    postgresAppUrl: string;
    workflowBundlePath: string;
  }
}

/**
 * One PostgreSQL for the whole run (a real server, not a mock): migrated once into a template
 * database that each test file copies, so files never see each other's rows. An existing server
 * can be used instead through TEST_DATABASE_ADMIN_URL (a superuser: it creates the owner and
 * application roles). As in production, the owner role migrates and the tests' code under test
 * connects as the application role.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${process.pid}`;
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  let stop = async () => {};
  let roles: { ownerUrl: string; appUrl: string };
  if (!adminUrl) {
    const postgres = await startEmbeddedPostgres({ dataDir: `${DATA}test-postgres-${runId}`, database: TEMPLATE_DATABASE, persistent: false });
    adminUrl = postgres.adminUrl;
    stop = postgres.stop;
    roles = postgres;
  } else {
    await ensureDatabase(adminUrl, TEMPLATE_DATABASE);
    roles = await ensureLocalRoles(adminUrl, TEMPLATE_DATABASE);
  }
  const template = createDb(roles.ownerUrl);
  await migrateToLatest(template);
  await grantApplicationRole(template, APP_ROLE);
  await template.destroy();

  await mkdir(DATA, { recursive: true });
  const bundlePath = `${DATA}test-workflow-bundle-${runId}.json`;
  await writeFile(bundlePath, JSON.stringify(await bundleWorkflows()));

  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresOwnerUrl', roles.ownerUrl);
  project.provide('postgresAppUrl', roles.appUrl);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await stop();
    await rm(bundlePath, { force: true });
  };
}
