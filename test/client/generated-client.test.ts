import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateV1Schema, SCHEMA_FILE } from '../../scripts/generate-client.ts';

/**
 * The committed client types (client/v1/schema.d.ts) must be what `npm run client:generate` makes of the routes
 * as they are: a route changed without regenerating fails here.
 */
it('client/v1/schema.d.ts is up to date with the /api/v1 routes', async () => {
  const fresh = join(tmpdir(), `hedui-schema-${process.pid}.d.ts`);
  try {
    writeFileSync(fresh, await generateV1Schema());
    const regenerated = readFileSync(fresh, 'utf8');
    expect(regenerated).toContain('"/api/v1/entrustments"');
    expect(
      readFileSync(SCHEMA_FILE, 'utf8') === regenerated,
      'client/v1/schema.d.ts is stale: run `npm run client:generate`',
    ).toBe(true);
  } finally {
    rmSync(fresh, { force: true });
  }
}, 60_000);
