import fc from 'fast-check';
import { fuzzRuns } from '../../src/config.ts';

/**
 * Property-based fuzzing (fast-check). `npm test` runs each property a few hundred times; `npm run fuzz`
 * (fuzz/vitest.config.ts) sets HEDUI_FUZZ_RUNS to 100 000 or more. A failing input is printed with its seed
 * and path; keep it as an example in the test (`examples`) once the bug is fixed.
 */
export function runsOf(small: number): number {
  return fuzzRuns() ?? small;
}

/** True when this is the long run: test timeouts grow with it. */
export const LONG_RUN = fuzzRuns() !== null;

/**
 * A timeout fit for `runs` inputs at about `msPerInput` each. The long run gets four hours: a test that times out
 * keeps running in the background and would disturb the next one.
 */
export function timeoutFor(runs: number, msPerInput: number): number {
  return LONG_RUN ? 4 * 60 * 60 * 1000 : Math.max(60_000, Math.ceil(runs * msPerInput * 4));
}

function report(name: string, runs: number, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  // The long run's figures go to docs/security.md「模糊测试」.
  if (LONG_RUN) console.info(`[fuzz] ${name}: ${runs} inputs in ${seconds.toFixed(1)} s`);
}

export function fuzz<T>(
  name: string,
  property: fc.IPropertyWithHooks<T> | fc.IProperty<T>,
  runs: number,
  examples: T[] = [],
): void {
  const started = performance.now();
  fc.assert(property, { numRuns: runs, examples, endOnFailure: true });
  report(name, runs, started);
}

export async function fuzzAsync<T>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<T> | fc.IAsyncProperty<T>,
  runs: number,
  examples: T[] = [],
): Promise<void> {
  const started = performance.now();
  await fc.assert(property, { numRuns: runs, examples, endOnFailure: true });
  report(name, runs, started);
}

/** Chinese text in a message: every error the platform shows is in Chinese. */
export const CHINESE = /[\u4e00-\u9fff]/;
