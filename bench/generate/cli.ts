/**
 * The synthetic city for the benchmark (BENCHMARK.md):
 *
 *   npx tsx bench/generate/cli.ts --size S|M|L --seed N --out DIR [--harsh] [--month 2025-06] [--variant month2]
 *
 * `--variant month2` writes the month after `--month` with the planted changes of truth/planted-changes.csv;
 * the base month's files that did not change come out byte-identical. `--size XS` (500 people) is for tests.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type GenerateOptions, isSizeName, type Variant } from './city.ts';
import { generateCity } from './generate.ts';

export function parseArgs(argv: readonly string[]): GenerateOptions {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const size = value('size') ?? 'S';
  if (!isSizeName(size)) throw new Error(`--size must be XS, S, M or L, got ${size}`);
  const seed = Number(value('seed') ?? '1');
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new Error('--seed must be an integer from 0 to 4294967295');
  }
  const out = value('out');
  if (!out) throw new Error('--out DIR is required');
  const month = value('month') ?? '2025-06';
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`--month must be YYYY-MM, got ${month}`);
  const variant = value('variant') ?? 'base';
  if (variant !== 'base' && variant !== 'month2') throw new Error('--variant must be base or month2');
  return {
    size,
    seed,
    out: resolve(out),
    harsh: argv.includes('--harsh'),
    month,
    variant: variant as Variant,
  };
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const summary = await generateCity(options);
  const mib = (bytes: number) => (bytes / 1_048_576).toFixed(1);
  const usage = process.resourceUsage();
  console.log(
    `${options.size} seed ${options.seed}${options.harsh ? ' harsh' : ''} ${options.variant}: ` +
      `${summary.people} people, ${summary.families} families, ${summary.rows} rows in ${summary.seconds.toFixed(1)} s`,
  );
  console.log(
    `steps: ${summary.steps.map(([name, seconds]) => `${name} ${seconds.toFixed(1)}s`).join(', ')}`,
  );
  console.log(
    `output ${mib(directoryBytes(options.out))} MiB in ${options.out}; peak RSS ${(usage.maxRSS / 1024).toFixed(0)} MiB`,
  );
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]).endsWith('generate/cli.ts');
if (invokedDirectly) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
