// Worker entry: workers do not inherit the main thread's TypeScript loader,
// so this plain-JS file registers tsx, then loads the TypeScript worker body.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
