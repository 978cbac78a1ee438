import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SizeName } from '../generate/city.ts';
import { generateCity } from '../generate/generate.ts';
import type { ManifestFile } from '../generate/output.ts';
import { type FileMatches, matchFile } from './match.ts';
import { buildRegister } from './register.ts';
import { type Figures, type Scores, scoreMatches } from './score.ts';

/**
 * The accuracy benchmark end to end: generate the city, build the register from the hukou main file,
 * match every other file without the truth, then score against the truth and check the goals of
 * BENCHMARK.md.
 */

export const GOALS = {
  idPrecision: 0.9995,
  idRecall: 0.998,
  noidPrecision: 0.995,
  noidRecall: 0.9,
} as const;

export type GoalCheck = { goal: string; target: string; measured: string; met: boolean };

export type AccuracyReport = {
  size: string;
  seed: number;
  harsh: boolean;
  people: number;
  registerPersons: number;
  matchedRows: number;
  seconds: { generate: number; match: number; score: number; total: number };
  scores: Scores;
  goals: GoalCheck[];
  passed: boolean;
};

export type AccuracyOptions = {
  size: SizeName;
  seed: number;
  harsh: boolean;
  /** An already generated city to measure instead of generating one (its manifest gives size and seed). */
  data?: string;
  /** Passed to parseIdNumber; defaults to today in Shanghai. */
  today?: string;
};

type Manifest = { seed: number; size: string; people: number; harsh: boolean; files: ManifestFile[] };

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(3)}%`;
}

function atLeast(value: number | null, target: number): boolean {
  return value === null || value >= target;
}

export function checkGoals(scores: Scores): GoalCheck[] {
  const id: Figures = scores.total.id;
  const noid: Figures = scores.total.noid;
  return [
    {
      goal: 'rows with an ID: precision',
      target: `≥ ${percent(GOALS.idPrecision)}`,
      measured: percent(id.precision),
      met: atLeast(id.precision, GOALS.idPrecision),
    },
    {
      goal: 'rows with an ID: recall',
      target: `≥ ${percent(GOALS.idRecall)}`,
      measured: percent(id.recall),
      met: atLeast(id.recall, GOALS.idRecall),
    },
    {
      goal: 'rows without an ID: precision',
      target: `≥ ${percent(GOALS.noidPrecision)}`,
      measured: percent(noid.precision),
      met: atLeast(noid.precision, GOALS.noidPrecision),
    },
    {
      goal: 'rows without an ID: recall',
      target: `≥ ${percent(GOALS.noidRecall)}`,
      measured: percent(noid.recall),
      met: atLeast(noid.recall, GOALS.noidRecall),
    },
    {
      goal: 'rows without an ID: a homophone never links',
      target: '0 links',
      measured: `${scores.homophoneNoidLinks} links`,
      met: scores.homophoneNoidLinks === 0,
    },
    {
      goal: 'every row matched and scored',
      target: '0 unseen, 0 untracked',
      measured: `${scores.unseenRows} unseen, ${scores.untrackedRows} untracked`,
      met: scores.unseenRows === 0 && scores.untrackedRows === 0,
    },
  ];
}

export async function runAccuracy(options: AccuracyOptions): Promise<AccuracyReport> {
  const started = performance.now();
  const generated = options.data === undefined ? mkdtempSync(join(tmpdir(), 'hedui-accuracy-')) : null;
  const dir = options.data ?? join(generated ?? '', 'city');
  try {
    if (options.data === undefined) {
      await generateCity({
        size: options.size,
        seed: options.seed,
        harsh: options.harsh,
        month: '2025-06',
        variant: 'base',
        out: dir,
      });
    }
    const generatedAt = performance.now();
    const manifest = readManifest(dir);
    const hukou = manifest.files.find((file) => file.dataset === 'hukou' && file.kind === 'main');
    if (hukou === undefined) throw new Error(`${dir}: no hukou main file in the manifest`);
    const register = await buildRegister(join(dir, hukou.file));
    const matches: FileMatches[] = [];
    const matchOptions = options.today === undefined ? {} : { today: options.today };
    for (const file of manifest.files) {
      if (file.dataset === 'hukou') continue;
      matches.push(await matchFile(dir, file, register, matchOptions));
    }
    const matchedAt = performance.now();
    // The truth is read only from here on.
    const scores = await scoreMatches(dir, register, matches);
    const scoredAt = performance.now();
    const goals = checkGoals(scores);
    return {
      size: manifest.size,
      seed: manifest.seed,
      harsh: manifest.harsh,
      people: manifest.people,
      registerPersons: register.persons.length,
      matchedRows: matches.reduce((sum, m) => sum + m.seen.reduce((a, b) => a + b, 0), 0),
      seconds: {
        generate: (generatedAt - started) / 1000,
        match: (matchedAt - generatedAt) / 1000,
        score: (scoredAt - matchedAt) / 1000,
        total: (scoredAt - started) / 1000,
      },
      scores,
      goals,
      passed: goals.every((goal) => goal.met),
    };
  } finally {
    if (generated !== null) rmSync(generated, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- Markdown

const COLUMNS =
  '| rows | in register | links | correct | wrong | possible (true among them) | none | NAME_MISMATCH | precision | recall |';
const RULE = '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';

function cells(f: Figures): string {
  return `| ${f.rows} | ${f.inRegister} | ${f.links} | ${f.correct} | ${f.wrong} | ${f.possible} (${f.possibleWithTrue}) | ${f.none} | ${f.nameMismatch} | ${percent(f.precision)} | ${percent(f.recall)} |`;
}

function grouped(title: string, label: string, groups: Scores['byDataset']): string[] {
  const lines = [`### ${title}`, '', `| ${label} | ID? ${COLUMNS}`, `|---|---${RULE}`];
  for (const [key, entry] of Object.entries(groups)) {
    for (const idClass of ['id', 'noid'] as const) {
      const f = entry[idClass];
      if (f !== undefined) lines.push(`| ${key} | ${idClass === 'id' ? 'with ID' : 'no ID'} ${cells(f)}`);
    }
  }
  return lines;
}

export function toMarkdown(report: AccuracyReport): string {
  const { scores } = report;
  const lines = [
    `## Matching accuracy — size ${report.size}, seed ${report.seed}${report.harsh ? ', harsh noise' : ''}`,
    '',
    `${report.people} people in the register (${report.registerPersons} from the hukou file), ${report.matchedRows} rows matched; ` +
      `generate ${report.seconds.generate.toFixed(1)} s, match ${report.seconds.match.toFixed(1)} s, score ${report.seconds.score.toFixed(1)} s.`,
    '',
    '| goal | target | measured | met |',
    '|---|---|---|---|',
    ...report.goals.map((g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${g.met ? 'yes' : '**NO**'} |`),
    '',
    '### Totals',
    '',
    `| group ${COLUMNS}`,
    `|---${RULE}`,
    `| with an ID (main + badid) ${cells(scores.total.id)}`,
    `| main files ${cells(scores.byKind.main)}`,
    `| .badid.csv ${cells(scores.byKind.badid)}`,
    `| without an ID (.noid.csv) ${cells(scores.total.noid)}`,
    `| no ID, homophone only ${cells(scores.homophoneOnlyNoid)}`,
    '',
    ...grouped('Per dataset', 'dataset', scores.byDataset),
    '',
    ...grouped('Per noise type (a row with several noises counts under each)', 'noise', scores.byNoise),
    '',
  ];
  return lines.join('\n');
}
