import { describe, expect, it } from 'vitest';
import { parseAccuracyArgs } from '../accuracy.ts';
import { matchIdRow, matchNoIdRow, OUTCOME_LINK, OUTCOME_NONE, OUTCOME_POSSIBLE } from './match.ts';
import type { Register, RegisterPerson } from './register.ts';
import { type AccuracyReport, checkGoals, runAccuracy, toMarkdown } from './run.ts';
import type { Figures } from './score.ts';

function expectConsistent(f: Figures): void {
  expect(f.links + f.possible + f.none).toBe(f.rows);
  expect(f.correct + f.wrong).toBe(f.links);
  expect(f.inRegister).toBeLessThanOrEqual(f.rows);
  expect(f.possibleWithTrue).toBeLessThanOrEqual(f.possible);
  expect(f.precision).toBe(f.links === 0 ? null : f.correct / f.links);
  expect(f.recall).toBe(f.inRegister === 0 ? null : f.correct / f.inRegister);
}

function sum(figures: readonly (Figures | undefined)[], key: keyof Figures): number {
  return figures.reduce((total, f) => total + Number(f?.[key] ?? 0), 0);
}

describe('accuracy benchmark at XS', () => {
  let plain: AccuracyReport;
  let harsh: AccuracyReport;

  it('completes on the default and the harsh city', { timeout: 60_000 }, async () => {
    plain = await runAccuracy({ size: 'XS', seed: 1, harsh: false });
    harsh = await runAccuracy({ size: 'XS', seed: 1, harsh: true });
    for (const report of [plain, harsh]) {
      expect(report.registerPersons).toBe(500);
      expect(report.matchedRows).toBeGreaterThan(8_000);
      expect(report.scores.unseenRows).toBe(0);
      expect(report.scores.untrackedRows).toBe(0);
      expect(report.scores.total.id.rows).toBeGreaterThan(0);
      expect(report.scores.total.noid.rows).toBeGreaterThan(0);
      expect(toMarkdown(report)).toContain('| rows with an ID: precision |');
    }
    expect(harsh.harsh).toBe(true);
    expect(harsh.scores.byKind.badid.rows).toBeGreaterThan(plain.scores.byKind.badid.rows);
  });

  it('links clean rows with an ID with precision and recall 1', () => {
    for (const report of [plain, harsh]) {
      const clean = report.scores.byNoise.clean?.id;
      expect(clean?.rows).toBeGreaterThan(0);
      expect(clean?.precision).toBe(1);
      expect(clean?.recall).toBe(1);
      expect(clean?.nameMismatch).toBe(0);
    }
  });

  it('never links a row without an ID whose name is a homophone', () => {
    const only = harsh.scores.homophoneOnlyNoid;
    expect(only.rows).toBeGreaterThan(0);
    expect(only.links).toBe(0);
    expect(only.possible).toBe(only.rows);
    expect(only.possibleWithTrue).toBe(only.rows);
    for (const report of [plain, harsh]) {
      expect(report.scores.homophoneNoidLinks).toBe(0);
      expect(report.scores.byNoise.homophone?.noid?.links ?? 0).toBe(0);
    }
  });

  it('adds up', () => {
    for (const report of [plain, harsh]) {
      const { scores } = report;
      const all: Figures[] = [
        scores.total.id,
        scores.total.noid,
        scores.byKind.main,
        scores.byKind.badid,
        scores.byKind.noid,
        scores.homophoneOnlyNoid,
      ];
      for (const entry of [...Object.values(scores.byDataset), ...Object.values(scores.byNoise)]) {
        if (entry.id !== undefined) all.push(entry.id);
        if (entry.noid !== undefined) all.push(entry.noid);
      }
      all.forEach(expectConsistent);

      expect(scores.total.id.rows + scores.total.noid.rows).toBe(report.matchedRows);
      for (const key of ['rows', 'inRegister', 'links', 'correct', 'wrong', 'possible', 'none'] as const) {
        expect(sum([scores.byKind.main, scores.byKind.badid], key)).toBe(scores.total.id[key]);
        expect(scores.byKind.noid[key]).toBe(scores.total.noid[key]);
        const datasets = Object.values(scores.byDataset);
        expect(
          sum(
            datasets.map((d) => d.id),
            key,
          ),
        ).toBe(scores.total.id[key]);
        expect(
          sum(
            datasets.map((d) => d.noid),
            key,
          ),
        ).toBe(scores.total.noid[key]);
      }
      // Every row without an ID carries the missing_id noise; every row counts under at least one noise.
      expect(scores.byNoise.missing_id?.noid?.rows).toBe(scores.total.noid.rows);
      const noiseRows = Object.values(scores.byNoise).map((entry) => entry.id);
      expect(sum(noiseRows, 'rows')).toBeGreaterThanOrEqual(scores.total.id.rows);
      expect(report.goals.every((goal) => goal.met)).toBe(report.passed);
    }
  });
});

describe('matching one row', () => {
  const persons: RegisterPerson[] = [
    { index: 0, id18: '110101199003070011', name: '张伟', birthDate: '1990-03-07' },
    { index: 1, id18: '110101199003070038', name: '李丽', birthDate: '1990-03-07' },
  ];
  const register: Register = {
    persons,
    byId: new Map(persons.map((p) => [p.id18, p.index])),
    byName: new Map([
      ['张伟', [0]],
      ['李丽', [1]],
    ]),
    byPinyin: new Map([
      ['zhang wei', [0]],
      ['li li', [1]],
    ]),
    byBirthDate: new Map([['1990-03-07', [0, 1]]]),
    skipped: 0,
  };

  it('links by the normalised ID and flags a homophone name', () => {
    const match = matchIdRow(register, '１１０１０１１９９００３０７００１１', '张玮', {});
    expect(match.outcome).toBe(OUTCOME_LINK);
    expect(match.linked).toBe(0);
    expect(match.nameMismatch).toBe(true);
  });

  it('repairs a substituted digit only with the same name', () => {
    expect(matchIdRow(register, '110101199003070021', '张伟', {}).linked).toBe(0);
    expect(matchIdRow(register, '110101199003070021', '张玮', {}).outcome).toBe(OUTCOME_POSSIBLE);
  });

  it('links a row without an ID by name and birth date, never by a homophone', () => {
    expect(matchNoIdRow(register, '張 伟', '1990-03-07').linked).toBe(0);
    const homophone = matchNoIdRow(register, '张玮', '1990-03-07');
    expect(homophone.outcome).toBe(OUTCOME_POSSIBLE);
    expect(homophone.possible).toEqual([0]);
    expect(matchNoIdRow(register, '王芳', '1990-03-07').outcome).toBe(OUTCOME_NONE);
  });

  it('fails the goals when precision drops', () => {
    const report = plainScoresWithWrongLinks();
    expect(checkGoals(report).find((goal) => goal.goal === 'rows with an ID: precision')?.met).toBe(false);
  });
});

function plainScoresWithWrongLinks(): Parameters<typeof checkGoals>[0] {
  const f = (correct: number, wrong: number): Figures => ({
    rows: correct + wrong,
    inRegister: correct + wrong,
    links: correct + wrong,
    correct,
    wrong,
    possible: 0,
    possibleWithTrue: 0,
    none: 0,
    nameMismatch: 0,
    precision: correct / (correct + wrong),
    recall: correct / (correct + wrong),
  });
  return {
    total: { id: f(999, 1), noid: f(100, 0) },
    byKind: { main: f(999, 1), badid: f(0, 0), noid: f(100, 0) },
    byDataset: {},
    byNoise: {},
    homophoneOnlyNoid: f(0, 0),
    homophoneNoidLinks: 0,
    unseenRows: 0,
    untrackedRows: 0,
  };
}

describe('command line', () => {
  it('reads size, seed, harsh and out', () => {
    const options = parseAccuracyArgs(['--size', 'XS', '--seed', '3', '--harsh', '--out', 'x']);
    expect(options).toMatchObject({ size: 'XS', seed: 3, harsh: true });
    expect(options.out.endsWith('x')).toBe(true);
    expect(() => parseAccuracyArgs(['--size', 'Q'])).toThrow(/--size/);
  });
});
