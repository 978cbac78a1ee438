import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, findDataset } from '../domain/catalog/datasets.ts';
import type { ColumnDef, DatasetDef } from '../domain/catalog/types.ts';
import { openTable } from '../ingest/read-table.ts';
import {
  buildTemplateWorkbook,
  CHOICES_SHEET,
  csvTemplate,
  DATA_SHEET,
  EXPLANATION_HEADERS,
  EXPLANATION_SHEET,
  FILE_RULES,
  REQUIRED_FILL,
  TEMPLATE_ROWS,
  templateFileName,
  writeXlsxTemplate,
} from './templates.ts';

const LONG_VALUES = Array.from({ length: 40 }, (_, i) => `很长的一个选项取值第${i + 1}号`);

const column = (c: Partial<ColumnDef> & Pick<ColumnDef, 'header' | 'key' | 'type'>): ColumnDef => ({
  required: true,
  description: `${c.header}的说明`,
  example: '示例',
  ...c,
});

const DATASET: DatasetDef = {
  code: 'sample',
  name: '样例数据',
  departmentCode: 'market',
  departmentName: '市场监管',
  frequency: 'half_yearly',
  kind: 'snapshot',
  core: true,
  description: '用于测试的数据集',
  columns: [
    column({ header: '身份证号', key: 'idNumber', type: 'id_number', example: '110101199003074514' }),
    column({ header: '姓名', key: 'name', type: 'name', example: '张三' }),
    column({ header: '主体名称', key: 'entityName', type: 'text', required: false }),
    column({
      header: '统一社会信用代码',
      key: 'creditCode',
      type: 'credit_code',
      example: '91350100M000100Y43',
    }),
    column({ header: '性别', key: 'sex', type: 'enum', values: ['男', '女'], example: '男' }),
    column({ header: '长列表', key: 'longList', type: 'enum', values: LONG_VALUES, required: false }),
    column({ header: '成立日期', key: 'foundedOn', type: 'date', example: '2020-01-31' }),
    column({ header: '所属月份', key: 'month', type: 'month', example: '2025-06' }),
    column({
      header: '认缴出资额',
      key: 'capitalFen',
      type: 'amount',
      required: false,
      example: '100000.00',
    }),
    column({ header: '出资比例', key: 'share', type: 'percent', required: false, emptyMeans: '100' }),
    column({ header: '残疾人专用车', key: 'disabled', type: 'bool', required: false, emptyMeans: '否' }),
    column({
      header: '备注',
      key: 'remark',
      type: 'text',
      required: false,
      example: '=1+1',
      description: '-说明',
    }),
  ],
};

let dir: string;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hedui-templates-'));
  const path = join(dir, templateFileName(DATASET, 'xlsx'));
  await writeXlsxTemplate(DATASET, path);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sheet = (name: string) => {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
};

const noteText = (cell: ExcelJS.Cell): string => {
  const note = cell.note;
  if (note === undefined) return '';
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
};

const columnOf = (header: string) => DATASET.columns.findIndex((c) => c.header === header) + 1;

const explanationRows = (): string[][] => {
  const rows: string[][] = [];
  sheet(EXPLANATION_SHEET).eachRow((row) => {
    rows.push(
      (row.values as ExcelJS.CellValue[])
        .slice(1)
        .map((v) => (v === null || v === undefined ? '' : String(v))),
    );
  });
  return rows;
};

describe(writeXlsxTemplate.name, () => {
  it('puts the data sheet first, then the explanation, and hides the sheet of long lists', () => {
    expect(workbook.worksheets.map((w) => [w.name, w.state])).toEqual([
      [DATA_SHEET, 'visible'],
      [EXPLANATION_SHEET, 'visible'],
      [CHOICES_SHEET, 'hidden'],
    ]);
  });

  it('writes exactly the catalog headers in catalog order in row 1 and no data rows', () => {
    const data = sheet(DATA_SHEET);
    expect((data.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual(
      DATASET.columns.map((c) => c.header),
    );
    expect(data.actualRowCount).toBe(1);
    for (const r of [2, 3, TEMPLATE_ROWS + 1]) expect(data.getRow(r).hasValues).toBe(false);
  });

  it('freezes the bold header row and marks required headers with a fill and a 必填 note', () => {
    const data = sheet(DATA_SHEET);
    expect(data.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const required = data.getCell(1, columnOf('身份证号'));
    const optional = data.getCell(1, columnOf('主体名称'));
    expect(required.font?.bold).toBe(true);
    expect(required.fill).toEqual(REQUIRED_FILL);
    expect(noteText(required)).toContain('必填');
    expect(optional.fill).not.toEqual(REQUIRED_FILL);
    expect(noteText(optional)).not.toContain('必填');
  });

  it('formats ID, credit code, name, text, amount, month and percent cells as text so Excel keeps them as typed', () => {
    const data = sheet(DATA_SHEET);
    for (const header of [
      '身份证号',
      '统一社会信用代码',
      '姓名',
      '主体名称',
      '认缴出资额',
      '所属月份',
      '出资比例',
    ]) {
      const c = columnOf(header);
      expect(data.getColumn(c).numFmt, header).toBe('@');
      expect(data.getCell(2, c).numFmt, header).toBe('@');
      expect(data.getCell(TEMPLATE_ROWS + 1, c).numFmt, header).toBe('@');
    }
  });

  it('formats date columns as yyyy-mm-dd', () => {
    const data = sheet(DATA_SHEET);
    const c = columnOf('成立日期');
    expect(data.getColumn(c).numFmt).toBe('yyyy-mm-dd');
    expect(data.getCell(500, c).numFmt).toBe('yyyy-mm-dd');
  });

  it('offers the enum values and 是/否 as inline drop-down lists on every template row', () => {
    const data = sheet(DATA_SHEET);
    for (const r of [2, TEMPLATE_ROWS + 1]) {
      expect(data.getCell(r, columnOf('性别')).dataValidation).toMatchObject({
        type: 'list',
        formulae: ['"男,女"'],
        showErrorMessage: true,
      });
      expect(data.getCell(r, columnOf('残疾人专用车')).dataValidation).toMatchObject({
        type: 'list',
        formulae: ['"是,否"'],
      });
    }
    expect(data.getCell(2, columnOf('身份证号')).dataValidation).toBeUndefined();
  });

  it('points a list longer than 255 characters at a range of the hidden sheet', () => {
    expect(LONG_VALUES.join(',').length).toBeGreaterThan(255);
    const validation = sheet(DATA_SHEET).getCell(2, columnOf('长列表')).dataValidation;
    expect(validation).toMatchObject({ type: 'list', formulae: [`'${CHOICES_SHEET}'!$A$1:$A$40`] });
    const listed = LONG_VALUES.map((_, i) => sheet(CHOICES_SHEET).getCell(i + 1, 1).value);
    expect(listed).toEqual(LONG_VALUES);
  });

  it('states the dataset, its code, department and delivery frequency above the rules', () => {
    const text = explanationRows().flat().join('\n');
    for (const fact of ['样例数据', 'sample', '市场监管', '半年报：每年1月10日、7月10日前']) {
      expect(text).toContain(fact);
    }
    for (const rule of FILE_RULES) expect(text).toContain(rule);
  });

  it('explains every column with its type, whether it is required, allowed values, description and example', () => {
    const rows = explanationRows();
    const headerAt = rows.findIndex((r) => r[0] === EXPLANATION_HEADERS[0]);
    expect(rows[headerAt]).toEqual([...EXPLANATION_HEADERS]);
    const table = rows.slice(headerAt + 1);
    expect(table.map((r) => r[0])).toEqual(DATASET.columns.map((c) => c.header));
    const byHeader = new Map(table.map((r) => [r[0], r]));
    expect(byHeader.get('身份证号')).toEqual([
      '身份证号',
      '身份证号',
      '必填',
      '',
      '身份证号的说明',
      '110101199003074514',
    ]);
    expect(byHeader.get('性别')).toEqual(['性别', '枚举', '必填', '男、女', '性别的说明', '男']);
    expect(byHeader.get('认缴出资额')?.slice(1, 3)).toEqual(['金额（元）', '选填']);
    expect(byHeader.get('统一社会信用代码')?.[1]).toBe('统一社会信用代码');
    expect(byHeader.get('成立日期')?.[1]).toBe('日期');
    expect(byHeader.get('所属月份')?.[1]).toBe('月份');
    expect(byHeader.get('出资比例')?.[4]).toBe('出资比例的说明（留空视为“100”）');
    expect(byHeader.get('残疾人专用车')?.slice(1, 4)).toEqual(['是否', '选填', '是、否']);
  });

  it('neutralises formula-like catalog text in the explanation sheet', () => {
    const remark = explanationRows().find((r) => r[0] === '备注');
    expect(remark?.[4]).toBe("'-说明");
    expect(remark?.[5]).toBe("'=1+1");
  });

  it('writes the same workbook to a stream and ends it', async () => {
    const out = new PassThrough();
    const again = new ExcelJS.Workbook();
    const reading = again.xlsx.read(out);
    await writeXlsxTemplate(DATASET, out);
    expect(out.writableEnded).toBe(true);
    await reading;
    expect(again.getWorksheet(DATA_SHEET)?.getCell(1, 1).value).toBe('身份证号');
  });

  it('leaves out the hidden sheet when every list fits inline', async () => {
    const out = new PassThrough();
    const again = new ExcelJS.Workbook();
    const reading = again.xlsx.read(out);
    await writeXlsxTemplate(
      { ...DATASET, columns: DATASET.columns.filter((c) => c.key !== 'longList') },
      out,
    );
    await reading;
    expect(again.worksheets.map((w) => w.name)).toEqual([DATA_SHEET, EXPLANATION_SHEET]);
  });
});

describe(csvTemplate.name, () => {
  it('is the header row only, UTF-8 with a BOM', () => {
    const csv = csvTemplate(DATASET);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe(`${DATASET.columns.map((c) => c.header).join(',')}\r\n`);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe(templateFileName.name, () => {
  it('names the file after the platform, the dataset code and its Chinese name', () => {
    expect(templateFileName({ ...DATASET, code: 'hukou', name: '户籍人口' }, 'xlsx')).toBe(
      '核对数据模板_hukou_户籍人口.xlsx',
    );
    expect(templateFileName({ ...DATASET, code: 'death', name: '死亡/殡葬' }, 'csv')).toBe(
      '核对数据模板_death_死亡_殡葬.csv',
    );
  });
});

/** The values offered by a data-sheet column's drop-down, read from its inline list or hidden range. */
function dropDownValues(built: ExcelJS.Workbook, column: number): readonly string[] | undefined {
  const data = built.getWorksheet(DATA_SHEET);
  if (!data) throw new Error('missing data sheet');
  const letter = data.getColumn(column).letter;
  const model = (data as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } })
    .dataValidations.model;
  const formula = model[`${letter}2:${letter}${TEMPLATE_ROWS + 1}`]?.formulae[0];
  if (typeof formula !== 'string') return undefined;
  if (formula.startsWith('"')) {
    expect(formula.length - 2).toBeLessThanOrEqual(255);
    return formula.slice(1, -1).split(',');
  }
  const range = /^'.+'!\$([A-Z]+)\$1:\$[A-Z]+\$(\d+)$/.exec(formula);
  const hidden = built.getWorksheet(CHOICES_SHEET);
  if (!range || !hidden) throw new Error(`unexpected list ${formula}`);
  return Array.from({ length: Number(range[2]) }, (_, r) =>
    String(hidden.getCell(`${range[1]}${r + 1}`).value),
  );
}

describe('templates of every catalog dataset', () => {
  it.each(DATASETS.map((d) => [d.code, d] as const))(
    '%s has the catalog headers, formats, drop-downs and explanation',
    (_, dataset) => {
      const built = buildTemplateWorkbook(dataset);
      const data = built.getWorksheet(DATA_SHEET);
      const explanation = built.getWorksheet(EXPLANATION_SHEET);
      if (!data || !explanation) throw new Error('missing sheet');
      expect((data.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual(
        dataset.columns.map((c) => c.header),
      );
      dataset.columns.forEach((c, i) => {
        expect(data.getCell(2, i + 1).numFmt, c.header).toBe(c.type === 'date' ? 'yyyy-mm-dd' : '@');
      });
      dataset.columns.forEach((c, i) => {
        const expected = c.type === 'bool' ? ['是', '否'] : c.type === 'enum' ? c.values : undefined;
        expect(dropDownValues(built, i + 1), c.header).toEqual(expected);
      });
      const headers: unknown[] = [];
      explanation.eachRow((row) => {
        headers.push(row.getCell(1).value);
      });
      expect(headers.slice(-dataset.columns.length)).toEqual(dataset.columns.map((c) => c.header));
      expect(csvTemplate(dataset)).toBe(`\uFEFF${dataset.columns.map((c) => c.header).join(',')}\r\n`);
    },
  );

  it('round-trips the hukou template through a file with its text formats and drop-downs intact', async () => {
    const hukou = findDataset('hukou');
    if (!hukou) throw new Error('hukou is not in the catalog');
    const path = join(dir, templateFileName(hukou, 'xlsx'));
    expect(path.endsWith('核对数据模板_hukou_户籍人口.xlsx')).toBe(true);
    await writeXlsxTemplate(hukou, path);
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(path);
    const data = read.getWorksheet(DATA_SHEET);
    const at = (header: string) => hukou.columns.findIndex((c) => c.header === header) + 1;
    expect(data?.getCell(2, at('身份证号')).numFmt).toBe('@');
    expect(data?.getCell(2, at('性别')).dataValidation?.formulae).toEqual(['"男,女"']);
    expect(data?.getCell(2, at('户籍状态')).dataValidation?.formulae).toEqual(['"正常,迁出,死亡,注销"']);
    const explanation = read.getWorksheet(EXPLANATION_SHEET);
    const text: string[] = [];
    explanation?.eachRow((row) => {
      text.push(String(row.getCell(2).value));
    });
    expect(text).toContain('季报：每年1、4、7、10月10日前报送上一季度数据');
  });

  it('reads back through the importer as exactly the catalog headers and no rows', async () => {
    const hukou = findDataset('hukou');
    if (!hukou) throw new Error('hukou is not in the catalog');
    const path = join(dir, 'importer-hukou.xlsx');
    await writeXlsxTemplate(hukou, path);
    const table = await openTable(path);
    expect(table.headers).toEqual(hukou.columns.map((c) => c.header));
    let rows = 0;
    for await (const _ of table.rows) rows++;
    expect(rows).toBe(0);
  });

  it('names every department that delivers a shared dataset', () => {
    const death = findDataset('death');
    if (!death) throw new Error('death is not in the catalog');
    const facts: unknown[] = [];
    buildTemplateWorkbook(death)
      .getWorksheet(EXPLANATION_SHEET)
      ?.eachRow((row) => {
        if (row.getCell(1).value === '报送部门') facts.push(row.getCell(2).value);
      });
    expect(facts).toEqual(['民政、卫健']);
  });
});
