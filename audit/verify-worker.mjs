// The entry of a verification worker thread (audit/parallel-verify.ts): the project runs its
// TypeScript through tsx, which a worker thread does not inherit everywhere (vitest), so it is
// registered here before the worker's code is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./verify-worker.ts');
