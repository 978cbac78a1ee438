import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/cli/runtime.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import { isolatedStorageEnv } from '../support/keys.ts';

describe('docs/api.md', () => {
  let app: App;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const runtime = openRuntime(loadConfig({ HEDUI_DB: 'sqlite::memory:', ...isolatedStorageEnv() }));
    app = await buildApp({ deps: runtime.deps });
    await app.ready();
    close = async () => {
      await app.close();
      await runtime.close();
    };
  });
  afterAll(() => close());

  it('lists every API route the server registers', () => {
    // Table cells are padded for reading; compare with runs of spaces collapsed.
    const doc = readFileSync('docs/api.md', 'utf8').replace(/ {2,}/g, ' ');
    const missing = app.routeTable
      .filter((r) => r.method !== 'HEAD' && (r.url.startsWith('/api/') || r.url.endsWith('z')))
      .filter((r) => !r.url.startsWith('/api/docs/'))
      .filter((r) => !doc.includes(`| ${r.method} | ${r.url} |`))
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });
});
