#!/usr/bin/env node
// CI's closing line. vitest's own summary ("Tests 980 passed") is not a form CI's log reader knows, and
// Schemathesis ends on a pytest-style rule that reads as "no test ran"; so the last line of a CI run
// is one plain "N passed, N failed" over everything .ci/run executed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const parts = [];

for (const [name, file] of [
  ['npm test', 'test-results/vitest.json'],
  ['test:faults', 'test-results/vitest-faults.json'],
  ['test:topology', 'test-results/vitest-topology.json'],
]) {
  const full = path.join(root, file);
  if (!existsSync(full)) throw new Error(`${file} is missing: did ${name} run with its JSON reporter?`);
  const report = JSON.parse(readFileSync(full, 'utf8'));
  parts.push({ name, passed: report.numPassedTests, failed: report.numFailedTests });
}
const schema = path.join(root, 'test-results/schemathesis/summary.json');
if (!existsSync(schema)) throw new Error('test-results/schemathesis/summary.json is missing: did test:api-schema run?');
const api = JSON.parse(readFileSync(schema, 'utf8'));
parts.push({ name: 'test:api-schema', passed: api.passed, failed: api.failed });

for (const p of parts) console.log(`  ${p.name}: ${p.passed} passed, ${p.failed} failed`);
const passed = parts.reduce((n, p) => n + p.passed, 0);
const failed = parts.reduce((n, p) => n + p.failed, 0);
console.log(`ci: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
