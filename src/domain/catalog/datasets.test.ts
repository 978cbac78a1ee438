import { describe, expect, it } from 'vitest';
import { parseCell } from './cells.ts';
import {
  DATASETS,
  DEPARTMENTS,
  datasetsOfDepartment,
  findColumn,
  findDataset,
  isDepartmentCode,
} from './datasets.ts';
import { COLUMN_TYPES, type DatasetDef, FREQUENCIES } from './types.ts';

const TODAY = '2025-07-15';

function dataset(code: string): DatasetDef {
  const found = findDataset(code);
  if (!found) throw new Error(`no dataset ${code}`);
  return found;
}

function headersOf(code: string): string[] {
  return dataset(code).columns.map((column) => column.header);
}

/** `header:type` with `?` for optional columns and the enum values, to compare with CATALOG.md literally. */
function shapeOf(code: string): string[] {
  return dataset(code).columns.map(
    (column) =>
      `${column.header}:${column.type}${column.values ? `(${column.values.join(',')})` : ''}${column.required ? '' : '?'}${
        column.emptyMeans === undefined ? '' : `=${column.emptyMeans}`
      }`,
  );
}

/** CATALOG.md "Core datasets": code, department code, frequency, kind. */
const CORE = [
  ['hukou', 'public_security', 'quarterly', 'snapshot'],
  ['vehicle', 'public_security', 'quarterly', 'snapshot'],
  ['payroll', 'finance', 'half_yearly', 'periodic'],
  ['benefit', 'human_resources', 'monthly', 'periodic'],
  ['contribution', 'human_resources', 'monthly', 'periodic'],
  ['real_estate', 'natural_resources', 'half_yearly', 'snapshot'],
  ['provident_fund', 'housing_fund', 'yearly', 'periodic'],
  ['market_entity', 'market_regulation', 'half_yearly', 'snapshot'],
  ['tax_income', 'taxation', 'half_yearly', 'periodic'],
  ['deposit', 'banking', 'quarterly', 'snapshot'],
  ['transport', 'transport', 'quarterly', 'snapshot'],
  ['marriage', 'civil_affairs', 'monthly', 'periodic'],
  ['death', 'civil_affairs', 'monthly', 'periodic'],
  ['subsidy', 'agriculture', 'half_yearly', 'periodic'],
  ['disability', 'disabled_persons', 'quarterly', 'snapshot'],
] as const;

describe('DATASETS', () => {
  it('holds exactly the core datasets of CATALOG.md with their departments, frequencies and kinds', () => {
    const core = DATASETS.filter((candidate) => candidate.core);
    expect(core.map((d) => [d.code, d.departmentCode, d.frequency, d.kind])).toEqual(
      CORE.map((row) => [...row]),
    );
  });

  it('has the literal headers of real_estate', () => {
    expect(shapeOf('real_estate')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '不动产单元号:text',
      '坐落:text?',
      '用途:enum(住宅,商业,办公,工业,其他)',
      '建筑面积:area',
      '登记日期:date',
      '权利状态:enum(现势,注销,查封)',
      '共有方式:enum(单独所有,共同共有,按份共有)',
      '权利份额:percent?=100',
    ]);
  });

  it('has the literal headers of market_entity', () => {
    expect(shapeOf('market_entity')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '主体名称:text',
      '统一社会信用代码:credit_code',
      '主体类型:enum(个体工商户,有限责任公司,股份有限公司,合伙企业,个人独资企业,农民专业合作社,其他)',
      '身份:enum(经营者,法定代表人,股东,合伙人,投资人)',
      '认缴出资额:amount?',
      '出资比例:percent?',
      '成立日期:date',
      '登记状态:enum(存续,注销,吊销,迁出)',
    ]);
  });

  it('has the literal headers of vehicle, with 残疾人专用车 empty meaning 否', () => {
    expect(shapeOf('vehicle')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '号牌号码:text',
      '车辆类型:text?',
      '使用性质:enum(非营运,营运,其他)',
      '初次登记日期:date',
      '车辆状态:enum(正常,转出,注销,查封,其他)',
      '残疾人专用车:bool?=否',
    ]);
  });

  it('has the literal headers of tax_income, hukou and the other core datasets', () => {
    expect(shapeOf('tax_income')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '所得项目:enum(工资薪金,劳务报酬,稿酬,特许权使用费,经营所得,利息股息红利,财产租赁,财产转让,偶然所得)',
      '所属期起:month',
      '所属期止:month',
      '收入额:amount',
      '已缴税额:amount',
    ]);
    expect(shapeOf('hukou')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '性别:enum(男,女)',
      '出生日期:date',
      '户号:text',
      '与户主关系:text?',
      '户籍地址:text?',
      '户籍状态:enum(正常,迁出,死亡,注销)',
      '状态变更日期:date?',
    ]);
    expect(headersOf('payroll')).toEqual([
      '身份证号',
      '姓名',
      '工作单位',
      '所属月份',
      '应发工资',
      '实发工资',
    ]);
    expect(headersOf('benefit')).toEqual(['身份证号', '姓名', '待遇类型', '所属月份', '发放金额']);
    expect(headersOf('contribution')).toEqual([
      '身份证号',
      '姓名',
      '险种',
      '缴费单位',
      '所属月份',
      '缴费基数',
      '个人缴费额',
    ]);
    expect(shapeOf('provident_fund')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '账户状态:enum(正常,封存,销户)',
      '所属月份:month',
      '月缴存额:amount',
      '账户余额:amount',
      '提取金额:amount?',
    ]);
    expect(shapeOf('deposit')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '金融机构:text',
      '账号:text?',
      '资产类型:enum(活期存款,定期存款,理财产品,基金,证券,商业保险,互联网金融,其他)',
      '余额:amount',
      '截至日期:date',
    ]);
    expect(shapeOf('transport')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '号牌或船名:text',
      '运输类型:enum(道路客运,道路货运,出租汽车,网约车,水路运输,其他)',
      '许可日期:date',
      '状态:enum(有效,注销)',
    ]);
    expect(shapeOf('marriage')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '登记类型:enum(结婚,离婚)',
      '登记日期:date',
      '对方身份证号:id_number?',
      '对方姓名:name?',
    ]);
    expect(shapeOf('death')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '死亡日期:date',
      '来源:enum(火化,医疗机构,公安注销,其他)',
    ]);
    expect(shapeOf('subsidy')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '补贴项目:text',
      '发放部门:text',
      '发放日期:date',
      '金额:amount',
    ]);
    expect(shapeOf('disability')).toEqual([
      '身份证号:id_number',
      '姓名:name',
      '残疾人证号:text',
      '残疾类别:enum(视力,听力,言语,肢体,智力,精神,多重)',
      '残疾等级:enum(一级,二级,三级,四级)',
      '发证日期:date',
    ]);
  });

  it('gives 待遇类型 and 险种 their CATALOG values', () => {
    expect(findColumn(dataset('benefit'), 'benefitType')?.values).toEqual([
      '养老金',
      '失业保险金',
      '遗属补助金',
      '工伤保险待遇',
      '其他',
    ]);
    expect(findColumn(dataset('contribution'), 'insuranceType')?.values).toEqual([
      '职工养老保险',
      '城乡居民养老保险',
      '失业保险',
      '工伤保险',
      '医疗保险',
      '其他',
    ]);
  });

  it('starts every dataset with 身份证号 and 姓名, both required', () => {
    for (const d of DATASETS) {
      expect(d.columns.slice(0, 2).map((c) => [c.header, c.key, c.type, c.required])).toEqual([
        ['身份证号', 'idNumber', 'id_number', true],
        ['姓名', 'name', 'name', true],
      ]);
    }
  });

  it('uses unique codes, and unique headers and camelCase keys within each dataset', () => {
    expect(new Set(DATASETS.map((d) => d.code)).size).toBe(DATASETS.length);
    for (const d of DATASETS) {
      expect(d.code).toMatch(/^[a-z][a-z_]*$/);
      expect(new Set(d.columns.map((c) => c.header)).size, d.code).toBe(d.columns.length);
      expect(new Set(d.columns.map((c) => c.key)).size, d.code).toBe(d.columns.length);
      for (const c of d.columns) expect(c.key, `${d.code}.${c.header}`).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    }
  });

  it('describes every dataset and column in Chinese with a valid frequency, type and department', () => {
    for (const d of DATASETS) {
      expect(FREQUENCIES).toContain(d.frequency);
      expect(d.name).toMatch(/\p{Script=Han}/u);
      expect(d.description).toMatch(/\p{Script=Han}/u);
      expect(d.departmentName).toBe(DEPARTMENTS[d.departmentCode as keyof typeof DEPARTMENTS]);
      for (const other of d.otherDepartmentCodes ?? []) expect(isDepartmentCode(other)).toBe(true);
      for (const c of d.columns) {
        expect(COLUMN_TYPES).toContain(c.type);
        expect(c.description, `${d.code}.${c.header}`).toMatch(/\p{Script=Han}/u);
        expect(c.type === 'enum', `${d.code}.${c.header}`).toBe((c.values?.length ?? 0) > 0);
      }
    }
  });

  it('gives every column an example that its own rules accept', () => {
    for (const d of DATASETS) {
      for (const c of d.columns) {
        const result = parseCell(c, c.example, { today: TODAY });
        expect(result.ok, `${d.code}.${c.header} example ${c.example}`).toBe(true);
        if (c.emptyMeans !== undefined) {
          expect(parseCell(c, c.emptyMeans, { today: TODAY }).ok, `${d.code}.${c.header} emptyMeans`).toBe(
            true,
          );
        }
      }
    }
  });

  it('points every notAfter at a column of the same type in the same dataset', () => {
    for (const d of DATASETS) {
      for (const c of d.columns.filter((column) => column.notAfter)) {
        expect(findColumn(d, c.notAfter ?? '')?.type, `${d.code}.${c.header}`).toBe(c.type);
      }
    }
  });

  it('adds a dataset for every department of Q§7 that delivers no core dataset', () => {
    for (const code of [
      'education',
      'united_front',
      'housing',
      'health',
      'emergency',
      'forestry',
      'medical_insurance',
    ]) {
      expect(
        DATASETS.some((d) => !d.core && d.departmentCode === code),
        code,
      ).toBe(true);
    }
    for (const code of Object.keys(DEPARTMENTS))
      expect(datasetsOfDepartment(code).length, code).toBeGreaterThan(0);
  });
});

describe(findDataset.name, () => {
  it('finds a dataset by code and nothing for an unknown code', () => {
    expect(findDataset('real_estate')?.name).toBe('不动产登记');
    expect(findDataset('nope')).toBeUndefined();
  });
});

describe(datasetsOfDepartment.name, () => {
  it('lists the datasets a department leads and those it shares', () => {
    expect(datasetsOfDepartment('public_security').map((d) => d.code)).toEqual([
      'hukou',
      'vehicle',
      'exit_entry',
    ]);
    expect(datasetsOfDepartment('forestry').map((d) => d.code)).toEqual(['subsidy', 'forest_right']);
    expect(datasetsOfDepartment('health').map((d) => d.code)).toEqual([
      'death',
      'health_assistance',
      'illness_record',
    ]);
    expect(datasetsOfDepartment('nobody')).toEqual([]);
  });
});
