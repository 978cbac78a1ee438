import { loadConfig } from '../config.ts';
import { openRuntime, prepareDatabase, type Runtime } from './runtime.ts';

/** Opens the configured database, brings it up to date (without the demo city) and closes it afterwards. */
export async function withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = { ...loadConfig(), demo: 'off' as const };
  const runtime = openRuntime(config);
  try {
    await prepareDatabase(runtime, config);
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}
