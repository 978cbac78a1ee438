import { join } from 'node:path';
import type { DatasetDef } from '../../src/domain/catalog/types.ts';
import { parseIdNumber } from '../../src/domain/identity/id-number.ts';
import { type City, datasetDef } from './city.ts';
import { hasTraditionalForm, SURNAMES, toTraditional } from './names.ts';
import {
  addApostrophe,
  addStraySpace,
  homophoneGiven,
  LEGACY_DATASETS,
  spacedName,
  substituteDigit,
  swapAdjacentDigits,
  toFullWidth,
  toLegacy15,
} from './noise.ts';
import { type FileKind, TextSink } from './output.ts';
import { Rng, tagOf } from './random.ts';

const ID_NOISE = [
  'substituted_digit',
  'swapped_digits',
  'legacy_15',
  'fullwidth',
  'space_or_apostrophe',
] as const;
type IdNoise = (typeof ID_NOISE)[number];

/** The written form of an ID under one kind of noise; `space_or_apostrophe` becomes one of the two. */
function writeIdWith(kind: IdNoise, id: string, rng: Rng): string {
  switch (kind) {
    case 'substituted_digit':
      return substituteDigit(id, rng);
    case 'swapped_digits':
      return swapAdjacentDigits(id, rng);
    case 'legacy_15':
      return toLegacy15(id);
    case 'fullwidth':
      return toFullWidth(id);
    case 'space_or_apostrophe':
      return rng.chance(0.5) ? addApostrophe(id) : addStraySpace(id, rng);
  }
}

interface OpenFile {
  sink: TextSink;
  file: string;
  period: string;
  kind: FileKind;
}

/**
 * Writes one dataset: every row goes through `emit`, which applies the noise, chooses the file (the main
 * file keeps only rows that still make a valid upload; rows whose ID no longer validates go to
 * `.badid.csv`, rows without an ID to `.noid.csv`) and writes the ground-truth line.
 *
 * `.noid.csv` files have the columns 姓名, 出生日期 and then the dataset's columns after 身份证号 and 姓名;
 * `.badid.csv` files 身份证号, 姓名, 出生日期 and then the same: the template of unidentified rows (待认定记录,
 * src/domain/catalog/unidentified.ts) that the bench imports them with.
 */
export class DatasetOutput {
  readonly def: DatasetDef;
  private readonly files = new Map<string, OpenFile>();
  private readonly truth: TextSink;
  private readonly rng: Rng;
  private readonly tag: number;
  private readonly legacy: boolean;
  private readonly missingIdRate: number;
  private readonly otherHeaders: string;
  /** Upper ends of the ID-noise intervals of one uniform draw, in ID_NOISE order. */
  private readonly idEdges: number[];

  constructor(
    private readonly city: City,
    readonly code: string,
    private readonly noisy = true,
  ) {
    this.def = datasetDef(code);
    this.rng = new Rng(city.seed);
    this.tag = tagOf(`noise:${code}`);
    this.legacy = LEGACY_DATASETS.has(code);
    this.missingIdRate = noisy ? (city.rates.missingId[code] ?? 0) : 0;
    this.otherHeaders = this.def.columns
      .slice(2)
      .map((column) => column.header)
      .join(',');
    const { rates } = city;
    const widths = [
      rates.substitutedDigit,
      rates.swappedDigits,
      rates.legacy15,
      rates.fullwidth,
      rates.spaceOrApostrophe,
    ];
    let edge = 0;
    this.idEdges = widths.map((width) => {
      edge += width;
      return edge;
    });
    this.truth = new TextSink(join(city.truthDir, 'rows', `${code}.csv`));
    this.truth.line('file,row,person_id,noise,other_person_id');
  }

  private open(period: string, kind: FileKind): OpenFile {
    const key = `${period}|${kind}`;
    let file = this.files.get(key);
    if (file) return file;
    const name = kind === 'main' ? `${this.code}.${period}.csv` : `${this.code}.${period}.${kind}.csv`;
    const sink = new TextSink(join(this.city.options.out, name));
    sink.line(
      kind === 'noid'
        ? `姓名,出生日期,${this.otherHeaders}`
        : kind === 'badid'
          ? `身份证号,姓名,出生日期,${this.otherHeaders}`
          : `身份证号,姓名,${this.otherHeaders}`,
    );
    file = { sink, file: name, period, kind };
    this.files.set(key, file);
    return file;
  }

  /**
   * One row of `person`: `id` and `name` are the true ones, `rest` the CSV text of the columns after 姓名,
   * `rowKey` tells the person's rows of this dataset apart (the same row gets the same noise in every run).
   * Returns true when the row went to the main file.
   */
  emit(
    person: number,
    id: string,
    name: string,
    period: string,
    rowKey: number,
    rest: string,
    other = -1,
  ): boolean {
    let writtenId = id;
    let writtenName = name;
    let noise = '';
    let kind: FileKind = 'main';
    if (this.noisy) {
      const { rates } = this.city;
      const rng = this.rng.reset(this.tag, person, rowKey);
      const uMissing = rng.float();
      const uId = rng.float();
      const uLower = rng.float();
      const uHomophone = rng.float();
      const uTraditional = rng.float();
      const uSpace = rng.float();

      const homophone = uHomophone < rates.homophone;
      const traditional =
        uTraditional < rates.traditional / this.city.traditionalShare && hasTraditionalForm(name);
      const spaced = uSpace < rates.nameSpace;
      if (homophone || traditional || spaced) {
        const { pop } = this.city;
        let surname = SURNAMES[pop.surname[person] ?? 0] ?? '';
        let given = name.slice(surname.length);
        if (homophone) {
          const changed = homophoneGiven(given, rng);
          if (changed !== undefined) {
            given = changed;
            noise += '|homophone';
          }
        }
        if (traditional) {
          surname = toTraditional(surname);
          given = toTraditional(given);
          noise += '|traditional';
        }
        if (spaced) {
          writtenName = spacedName(surname, given, rng);
          noise += '|name_space';
        } else writtenName = surname + given;
      }

      if (uMissing < this.missingIdRate) {
        kind = 'noid';
        noise += '|missing_id';
      } else {
        const legacyEligible = this.legacy && id.charCodeAt(6) === 49 && id.charCodeAt(7) === 57;
        const idNoise = this.idNoiseOf(uId, legacyEligible);
        if (idNoise !== undefined) {
          writtenId = writeIdWith(idNoise, id, rng);
          if (idNoise !== 'space_or_apostrophe') noise += `|${idNoise}`;
          else noise += writtenId.startsWith("'") ? '|apostrophe' : '|stray_space';
        }
        // A lower-case x on any number that still ends with its check character X.
        if (uLower < rates.lowercaseX && writtenId.length >= 18 && /[XＸ]\s?$/.test(writtenId)) {
          writtenId = writtenId.replace(/X(\s?)$/, 'x$1').replace(/Ｘ(\s?)$/, 'ｘ$1');
          noise += '|lowercase_x';
        }
        if (writtenId !== id && !parseIdNumber(writtenId, { today: this.city.asOfIso }).ok) kind = 'badid';
      }
    }

    const file = this.open(period, kind);
    if (kind === 'noid') {
      file.sink.line(`${writtenName},${this.city.pop.birthIso(person)},${rest}`);
    } else if (kind === 'badid') {
      // The department's own record of the birth date: a mistyped number may carry none (a slip in its date).
      file.sink.line(`${writtenId},${writtenName},${this.city.pop.birthIso(person)},${rest}`);
    } else {
      file.sink.line(`${writtenId},${writtenName},${rest}`);
    }
    this.truth.line(
      `${file.file},${file.sink.lines},${person + 1},${noise.length > 0 ? noise.slice(1) : ''},${other >= 0 ? other + 1 : ''}`,
    );
    return kind === 'main';
  }

  /**
   * The ID noise of a row from one uniform draw: the kinds are disjoint intervals, so each keeps its rate.
   * The legacy interval applies only to the eligible rows (19xx births in legacy datasets).
   */
  private idNoiseOf(u: number, legacyEligible: boolean): IdNoise | undefined {
    const index = this.idEdges.findIndex((edge) => u < edge);
    const kind = ID_NOISE[index];
    if (kind === 'legacy_15' && !legacyEligible) return undefined;
    return kind;
  }

  async pump(): Promise<void> {
    await this.truth.pump();
    for (const file of this.files.values()) await file.sink.pump();
  }

  async close(): Promise<void> {
    await this.truth.close();
    const files = [...this.files.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
    for (const file of files) {
      await file.sink.close();
      this.city.manifest.push({
        dataset: this.code,
        period: file.period,
        kind: file.kind,
        file: file.file,
        rows: file.sink.lines - 1,
      });
    }
  }
}
