// A worker thread of the row encoder pool: TypeScript sources run through tsx here too (see bin/hedui.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./row-encoder-worker.ts');
