// The entry of the API-reads benchmark's writer thread (bench/api-reads-writer.ts): a worker thread
// does not inherit tsx everywhere, so it is registered here before the writer's code is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./api-reads-writer.ts');
