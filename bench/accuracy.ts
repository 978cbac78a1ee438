/**
 * Person-matching accuracy on the synthetic city (BENCHMARK.md, "matching accuracy"):
 *
 *   npx tsx bench/accuracy.ts --size S --seed 1 [--harsh] [--out bench-results] [--data DIR]
 *
 * Generates the city into a temporary directory (or measures `--data DIR`, an already generated one),
 * matches every department row against the hukou register without the ground truth, scores the links
 * against the truth per dataset and noise type, prints a Markdown table and writes `OUT/accuracy.json`
 * (`accuracy-harsh.json` with `--harsh`). Exits 1 when a goal is missed; time never gates.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type AccuracyOptions, runAccuracy, toMarkdown } from './accuracy/run.ts';
import { isSizeName } from './generate/city.ts';

export type CliOptions = AccuracyOptions & { out: string };

export function parseAccuracyArgs(argv: readonly string[]): CliOptions {
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
  const data = value('data');
  const today = value('today');
  return {
    size,
    seed,
    harsh: argv.includes('--harsh'),
    out: resolve(value('out') ?? 'bench-results'),
    ...(data === undefined ? {} : { data: resolve(data) }),
    ...(today === undefined ? {} : { today }),
  };
}

async function main(): Promise<void> {
  const options = parseAccuracyArgs(process.argv.slice(2));
  const report = await runAccuracy(options);
  console.log(toMarkdown(report));
  mkdirSync(options.out, { recursive: true });
  const path = join(options.out, report.harsh ? 'accuracy-harsh.json' : 'accuracy.json');
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written ${path}`);
  if (!report.passed) {
    console.error(
      `accuracy goals missed: ${report.goals
        .filter((g) => !g.met)
        .map((g) => g.goal)
        .join('; ')}`,
    );
    process.exitCode = 1;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]).endsWith('bench/accuracy.ts');
if (invokedDirectly) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  });
}
