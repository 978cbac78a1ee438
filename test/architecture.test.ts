import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Imports flow one way: domain ← app ← {http, cli, jobs}; store implements app's ports (STYLE.md). */
const FORBIDDEN: Record<string, string[]> = {
  domain: [
    'app',
    'store',
    'http',
    'cli',
    'ingest',
    'documents',
    'jobs',
    'query-interface',
    'crypto',
    'webhooks',
  ],
  app: ['store', 'http', 'cli', 'ingest', 'documents', 'jobs', 'query-interface', 'crypto', 'webhooks'],
  store: ['http', 'cli'],
  http: ['store', 'cli'],
  jobs: ['store', 'http', 'cli'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function layerViolations(layer: string): string[] {
  const forbidden = FORBIDDEN[layer] ?? [];
  const violations: string[] = [];
  for (const file of sourceFiles(join('src', layer))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
      const target = m[1] ?? '';
      if (!target.startsWith('.')) continue;
      const resolved = join(file, '..', target).split('/');
      const targetLayer = resolved[0] === 'src' ? resolved[1] : undefined;
      if (targetLayer && forbidden.includes(targetLayer)) violations.push(`${file} imports ${target}`);
    }
    if (layer === 'domain' && /from\s+'(kysely|fastify|pg|better-sqlite3)'/.test(text))
      violations.push(`${file} imports an I/O library`);
  }
  return violations;
}

describe('architecture', () => {
  for (const layer of Object.keys(FORBIDDEN)) {
    it(`keeps src/${layer} free of imports from ${FORBIDDEN[layer]?.join(', ')}`, () => {
      expect(layerViolations(layer)).toEqual([]);
    });
  }

  it('reads process.env only in src/config.ts', () => {
    const readers = sourceFiles('src')
      .filter((f) => f !== join('src', 'config.ts') && !f.endsWith('.test.ts'))
      .filter((f) => /process\.env/.test(readFileSync(f, 'utf8')));
    expect(readers).toEqual([]);
  });
});
