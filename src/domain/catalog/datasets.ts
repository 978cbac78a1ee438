import type { ColumnDef, ColumnType, DatasetDef, DatasetKind, Frequency } from './types.ts';

/**
 * The datasets departments deliver: the core ones of CATALOG.md exactly, then those designed from the duties
 * that Q§7 gives the other departments. Headers and enum values are a contract with the departments.
 */

/** Organisation department codes (organisation.department_code), in the order of Q§7. */
export const DEPARTMENTS = {
  civil_affairs: '民政',
  education: '教育',
  united_front: '统战',
  public_security: '公安',
  finance: '财政',
  human_resources: '人社',
  natural_resources: '自然资源',
  housing: '住建',
  housing_fund: '住房公积金',
  transport: '交通运输',
  agriculture: '农业农村',
  health: '卫健',
  emergency: '应急管理',
  forestry: '林草',
  market_regulation: '市场监管',
  medical_insurance: '医保',
  disabled_persons: '残联',
  taxation: '税务',
  banking: '人民银行及金融机构',
  justice: '司法行政',
} as const satisfies Record<string, string>;

export type DepartmentCode = keyof typeof DEPARTMENTS;

export function isDepartmentCode(code: string): code is DepartmentCode {
  return Object.hasOwn(DEPARTMENTS, code);
}

// ---------------------------------------------------------------- column builders

type ColumnOptions = Pick<ColumnDef, 'emptyMeans' | 'allowFuture' | 'notAfter' | 'identifying'>;

function required(
  header: string,
  key: string,
  type: Exclude<ColumnType, 'enum'>,
  description: string,
  example: string,
  options: ColumnOptions = {},
): ColumnDef {
  return { header, key, type, required: true, description, example, ...options };
}

function optional(
  header: string,
  key: string,
  type: Exclude<ColumnType, 'enum'>,
  description: string,
  example: string,
  options: ColumnOptions = {},
): ColumnDef {
  return { header, key, type, required: false, description, example, ...options };
}

function oneOf(
  header: string,
  key: string,
  values: readonly string[],
  description: string,
  example: string,
  isRequired = true,
): ColumnDef {
  return { header, key, type: 'enum', required: isRequired, values, description, example };
}

const ID_NUMBER = required(
  '身份证号',
  'idNumber',
  'id_number',
  '居民身份证号码，18位（旧15位号码自动升位）；请将该列设为文本格式，以免表格软件转成科学计数法',
  '621002198503150410',
);
const NAME = required('姓名', 'name', 'name', '与身份证一致的姓名', '王建军');

interface DatasetInput {
  code: string;
  name: string;
  departmentCode: DepartmentCode;
  otherDepartmentCodes?: readonly DepartmentCode[];
  frequency: Frequency;
  kind: DatasetKind;
  core: boolean;
  description: string;
  columns: readonly ColumnDef[];
}

/** Every dataset starts with 身份证号 and 姓名 (CATALOG.md). */
function dataset(input: DatasetInput): DatasetDef {
  return {
    ...input,
    departmentName: DEPARTMENTS[input.departmentCode],
    columns: [ID_NUMBER, NAME, ...input.columns],
  };
}

const MONTH_OF_PAYMENT = (description: string): ColumnDef =>
  required('所属月份', 'month', 'month', description, '2025-06');

// ---------------------------------------------------------------- core datasets (CATALOG.md)

const CORE_DATASETS: readonly DatasetDef[] = [
  dataset({
    code: 'hukou',
    name: '户籍人口',
    departmentCode: 'public_security',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: true,
    description: '公安部门的户籍人口登记信息（第七条第四项），用于核对户籍状况、户号和家庭关系（第十条）',
    columns: [
      oneOf('性别', 'sex', ['男', '女'], '户籍登记的性别', '男'),
      required('出生日期', 'birthDate', 'date', '户籍登记的出生日期', '1985-03-15'),
      required('户号', 'householdNumber', 'text', '户口簿上的户号，同一户的成员户号相同', '620100345'),
      optional(
        '与户主关系',
        'relationToHead',
        'text',
        '户口簿上登记的与户主关系，如户主、配偶、子、女',
        '户主',
      ),
      optional('户籍地址', 'address', 'text', '户籍登记住址', '甘肃省庆阳市西峰区南大街12号'),
      oneOf('户籍状态', 'hukouStatus', ['正常', '迁出', '死亡', '注销'], '当前户籍登记状态', '正常'),
      optional(
        '状态变更日期',
        'statusChangeDate',
        'date',
        '户籍状态变为迁出、死亡或注销的日期；状态正常的可不填',
        '2024-11-02',
      ),
    ],
  }),
  dataset({
    code: 'vehicle',
    name: '机动车登记',
    departmentCode: 'public_security',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: true,
    description: '公安部门的机动车登记信息（第七条第四项），车辆属家庭动产（第十二条），残疾人专用车除外',
    columns: [
      required('号牌号码', 'plateNumber', 'text', '机动车号牌号码', '甘M12345'),
      optional('车辆类型', 'vehicleType', 'text', '行驶证上的车辆类型', '小型普通客车'),
      oneOf('使用性质', 'useCharacter', ['非营运', '营运', '其他'], '行驶证上的使用性质', '非营运'),
      required('初次登记日期', 'firstRegistrationDate', 'date', '机动车初次登记日期', '2019-05-20'),
      oneOf(
        '车辆状态',
        'vehicleStatus',
        ['正常', '转出', '注销', '查封', '其他'],
        '车辆当前登记状态',
        '正常',
      ),
      optional(
        '残疾人专用车',
        'disabilityVehicle',
        'bool',
        '是否为残疾人专用（功能性补偿代步）机动车，不计入家庭财产；不填视为否',
        '否',
        { emptyMeans: '否' },
      ),
    ],
  }),
  dataset({
    code: 'payroll',
    name: '财政供养人员',
    departmentCode: 'finance',
    frequency: 'half_yearly',
    kind: 'periodic',
    core: true,
    description: '财政部门的财政供养人员工资发放信息（第七条第五项），计入工资性收入（第十一条第一项）',
    columns: [
      optional('工作单位', 'employer', 'text', '发放工资的单位', '西峰区第一小学'),
      MONTH_OF_PAYMENT('工资所属月份'),
      required('应发工资', 'grossPay', 'amount', '当月应发工资，单位元', '6820.00'),
      required('实发工资', 'netPay', 'amount', '当月实发工资，单位元', '5312.45'),
    ],
  }),
  dataset({
    code: 'benefit',
    name: '离退休及社保待遇',
    departmentCode: 'human_resources',
    frequency: 'monthly',
    kind: 'periodic',
    core: true,
    description:
      '人社部门的离退休、失业保险等社会保险待遇发放信息（第七条第六项），计入转移性收入（第十一条第四项）',
    columns: [
      oneOf(
        '待遇类型',
        'benefitType',
        ['养老金', '失业保险金', '遗属补助金', '工伤保险待遇', '其他'],
        '所发放待遇的种类',
        '养老金',
      ),
      MONTH_OF_PAYMENT('待遇所属月份'),
      required('发放金额', 'amount', 'amount', '当月发放金额，单位元', '3256.80'),
    ],
  }),
  dataset({
    code: 'contribution',
    name: '社会保险缴费',
    departmentCode: 'human_resources',
    frequency: 'monthly',
    kind: 'periodic',
    core: true,
    description:
      '人社部门的社会保险缴费信息（第七条第六项）；个人缴费计入转移性支出，缴费记录是就业状况的证据，不是收入',
    columns: [
      oneOf(
        '险种',
        'insuranceType',
        ['职工养老保险', '城乡居民养老保险', '失业保险', '工伤保险', '医疗保险', '其他'],
        '缴费的社会保险险种',
        '职工养老保险',
      ),
      optional('缴费单位', 'employer', 'text', '代缴保险费的单位；个人缴费的可不填', '庆阳某某商贸有限公司'),
      MONTH_OF_PAYMENT('缴费所属月份'),
      required('缴费基数', 'contributionBase', 'amount', '当月缴费基数，单位元', '4500.00'),
      required('个人缴费额', 'personalContribution', 'amount', '当月个人缴纳部分，单位元', '360.00'),
    ],
  }),
  dataset({
    code: 'real_estate',
    name: '不动产登记',
    departmentCode: 'natural_resources',
    frequency: 'half_yearly',
    kind: 'snapshot',
    core: true,
    description: '自然资源部门的不动产登记信息（第七条第七项），房屋等不动产属家庭财产（第十二条）',
    columns: [
      required('不动产单元号', 'unitNumber', 'text', '28位不动产单元号', '621002001001GB00001F00010001'),
      optional('坐落', 'location', 'text', '不动产坐落地址', '西峰区长庆大道88号3号楼2单元502室'),
      oneOf('用途', 'purpose', ['住宅', '商业', '办公', '工业', '其他'], '登记的规划用途', '住宅'),
      required('建筑面积', 'floorArea', 'area', '建筑面积，单位平方米，最多两位小数', '89.65'),
      required('登记日期', 'registrationDate', 'date', '本条权利的登记日期', '2016-09-12'),
      oneOf('权利状态', 'rightStatus', ['现势', '注销', '查封'], '权利的当前状态', '现势'),
      oneOf(
        '共有方式',
        'ownershipMode',
        ['单独所有', '共同共有', '按份共有'],
        '本人与其他权利人的共有方式',
        '共同共有',
      ),
      optional('权利份额', 'share', 'percent', '按份共有时本人所占份额（0至100）；不填视为100', '50', {
        emptyMeans: '100',
      }),
    ],
  }),
  dataset({
    code: 'provident_fund',
    name: '住房公积金',
    departmentCode: 'housing_fund',
    frequency: 'yearly',
    kind: 'periodic',
    core: true,
    description:
      '住房公积金管理中心的缴存、余额和提取信息（第七条第九项）；提取金额计入转移性收入，缴存是就业状况的证据',
    columns: [
      oneOf('账户状态', 'accountStatus', ['正常', '封存', '销户'], '公积金个人账户状态', '正常'),
      MONTH_OF_PAYMENT('缴存所属月份'),
      required('月缴存额', 'monthlyDeposit', 'amount', '当月单位和个人合计缴存额，单位元', '960.00'),
      required('账户余额', 'balance', 'amount', '当月末账户余额，单位元', '45210.36'),
      optional('提取金额', 'withdrawal', 'amount', '当月提取金额，单位元；未提取的可不填', '12000.00'),
    ],
  }),
  dataset({
    code: 'market_entity',
    name: '市场主体',
    departmentCode: 'market_regulation',
    frequency: 'half_yearly',
    kind: 'snapshot',
    core: true,
    description:
      '市场监管部门的个体工商户和企业注册登记信息（第七条第十五项），开办或投资的市场主体属家庭财产（第十二条）',
    columns: [
      required('主体名称', 'entityName', 'text', '营业执照上的名称', '西峰区某某便民超市'),
      required(
        '统一社会信用代码',
        'creditCode',
        'credit_code',
        '18位统一社会信用代码（含校验码）',
        '92621002MA7ABCDE1R',
      ),
      oneOf(
        '主体类型',
        'entityType',
        ['个体工商户', '有限责任公司', '股份有限公司', '合伙企业', '个人独资企业', '农民专业合作社', '其他'],
        '市场主体的类型',
        '个体工商户',
      ),
      oneOf(
        '身份',
        'role',
        ['经营者', '法定代表人', '股东', '合伙人', '投资人'],
        '本人在该市场主体中的身份',
        '经营者',
      ),
      optional('认缴出资额', 'subscribedCapital', 'amount', '本人认缴的出资额，单位元', '50000.00'),
      optional('出资比例', 'capitalShare', 'percent', '本人出资占比（0至100）', '100'),
      required('成立日期', 'establishedDate', 'date', '市场主体成立日期', '2020-04-08'),
      oneOf('登记状态', 'registrationStatus', ['存续', '注销', '吊销', '迁出'], '当前登记状态', '存续'),
    ],
  }),
  dataset({
    code: 'tax_income',
    name: '个人所得',
    departmentCode: 'taxation',
    frequency: 'half_yearly',
    kind: 'periodic',
    core: true,
    description:
      '税务部门的个人所得和纳税信息（第七条第十八项）；按所得项目分别计入工资性、经营、财产等收入，已缴税额计入转移性支出',
    columns: [
      oneOf(
        '所得项目',
        'incomeItem',
        [
          '工资薪金',
          '劳务报酬',
          '稿酬',
          '特许权使用费',
          '经营所得',
          '利息股息红利',
          '财产租赁',
          '财产转让',
          '偶然所得',
        ],
        '个人所得税的所得项目',
        '工资薪金',
      ),
      required('所属期起', 'periodStart', 'month', '所得所属期的第一个月', '2025-01', {
        notAfter: 'periodEnd',
      }),
      required('所属期止', 'periodEnd', 'month', '所得所属期的最后一个月，不早于所属期起', '2025-06'),
      required('收入额', 'income', 'amount', '所属期内的收入额，单位元', '42000.00'),
      required('已缴税额', 'taxPaid', 'amount', '所属期内已缴纳的税额，单位元', '360.00'),
    ],
  }),
  dataset({
    code: 'deposit',
    name: '存款及金融资产',
    departmentCode: 'banking',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: true,
    description:
      '人民银行协调各银行等金融机构提供的存款、理财、证券、保险等金融资产信息（第七条第十九项、第十二条）',
    columns: [
      required('金融机构', 'institution', 'text', '开户或持有资产的金融机构名称', '中国农业银行庆阳西峰支行'),
      optional('账号', 'accountNumber', 'text', '账号或合同号；请设为文本格式', '6228480012345678901'),
      oneOf(
        '资产类型',
        'assetType',
        ['活期存款', '定期存款', '理财产品', '基金', '证券', '商业保险', '互联网金融', '其他'],
        '金融资产的种类',
        '定期存款',
      ),
      required('余额', 'balance', 'amount', '截至日期的余额或市值，单位元', '35000.00'),
      required('截至日期', 'asOfDate', 'date', '余额对应的日期', '2025-06-30'),
    ],
  }),
  dataset({
    code: 'transport',
    name: '营运车辆船舶',
    departmentCode: 'transport',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: true,
    description: '交通运输部门的从事运输的营运车辆、船舶信息（第七条第十项），属家庭财产（第十二条）',
    columns: [
      required('号牌或船名', 'plateOrVesselName', 'text', '营运车辆号牌号码或船舶名称', '甘MD2345'),
      oneOf(
        '运输类型',
        'transportType',
        ['道路客运', '道路货运', '出租汽车', '网约车', '水路运输', '其他'],
        '经营许可的运输类型',
        '出租汽车',
      ),
      required('许可日期', 'permitDate', 'date', '道路运输证或船舶营运证的许可日期', '2021-03-18'),
      oneOf('状态', 'permitStatus', ['有效', '注销'], '许可当前状态', '有效'),
    ],
  }),
  dataset({
    code: 'marriage',
    name: '婚姻登记',
    departmentCode: 'civil_affairs',
    frequency: 'monthly',
    kind: 'periodic',
    core: true,
    description: '民政部门的结婚、离婚登记信息（第七条第一项），用于核对婚姻登记状况（第十条）',
    columns: [
      oneOf('登记类型', 'registrationType', ['结婚', '离婚'], '婚姻登记的类型', '结婚'),
      required('登记日期', 'registrationDate', 'date', '婚姻登记日期', '2025-05-20'),
      optional(
        '对方身份证号',
        'partnerIdNumber',
        'id_number',
        '配偶（或原配偶）的身份证号',
        '62100219870822062X',
      ),
      optional('对方姓名', 'partnerName', 'name', '配偶（或原配偶）的姓名', '李秀兰'),
    ],
  }),
  dataset({
    code: 'death',
    name: '死亡殡葬',
    departmentCode: 'civil_affairs',
    otherDepartmentCodes: ['health'],
    frequency: 'monthly',
    kind: 'periodic',
    core: true,
    description:
      '民政部门的殡葬（火化）信息和卫生健康部门的医疗机构内死亡登记信息（第七条第一项、第十二项），用于核对家庭成员状况',
    columns: [
      required('死亡日期', 'deathDate', 'date', '死亡日期', '2025-06-03'),
      oneOf('来源', 'source', ['火化', '医疗机构', '公安注销', '其他'], '死亡信息的来源', '火化'),
    ],
  }),
  dataset({
    code: 'subsidy',
    name: '补贴补助',
    departmentCode: 'agriculture',
    otherDepartmentCodes: ['forestry', 'emergency'],
    frequency: 'half_yearly',
    kind: 'periodic',
    core: true,
    description:
      '农业农村、林草、应急部门发放的补贴补助（第七条第十一、十三、十四项），如耕地地力保护补贴、草原奖补、退耕还林还草补助、森林生态效益补偿；计入转移性收入，政策规定不计入的项目只列示',
    columns: [
      required('补贴项目', 'item', 'text', '补贴或补助的项目名称', '耕地地力保护补贴'),
      required('发放部门', 'issuingDepartment', 'text', '发放补贴的部门', '西峰区农业农村局'),
      required('发放日期', 'paymentDate', 'date', '补贴发放到户的日期', '2025-05-15'),
      required('金额', 'amount', 'amount', '发放金额，单位元', '1260.50'),
    ],
  }),
  dataset({
    code: 'disability',
    name: '残疾人登记',
    departmentCode: 'disabled_persons',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: true,
    description: '残联的残疾人登记信息（第七条第十七项），用于核对家庭成员状况和残疾人专用车辆的认定',
    columns: [
      required(
        '残疾人证号',
        'certificateNumber',
        'text',
        '第二代残疾人证号（身份证号加类别、等级）',
        '62100219850315041044',
        { identifying: true },
      ),
      oneOf(
        '残疾类别',
        'category',
        ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'],
        '残疾人证上的残疾类别',
        '肢体',
      ),
      oneOf('残疾等级', 'grade', ['一级', '二级', '三级', '四级'], '残疾人证上的残疾等级', '四级'),
      required('发证日期', 'issueDate', 'date', '残疾人证发证日期', '2018-07-10'),
    ],
  }),
];

// ---------------------------------------------------------------- datasets designed from Q§7

const FURTHER_DATASETS: readonly DatasetDef[] = [
  dataset({
    code: 'social_assistance',
    name: '社会救助及福利发放',
    departmentCode: 'civil_affairs',
    frequency: 'monthly',
    kind: 'periodic',
    core: false,
    description:
      '民政部门的最低生活保障、特困人员救助供养、临时救助、残疾人两项补贴、孤儿和事实无人抚养儿童基本生活保障发放信息（第七条第一项）；是否计入收入由政策配置决定',
    columns: [
      oneOf(
        '救助项目',
        'assistanceType',
        [
          '最低生活保障',
          '特困人员救助供养',
          '临时救助',
          '困难残疾人生活补贴',
          '重度残疾人护理补贴',
          '孤儿基本生活保障',
          '事实无人抚养儿童基本生活保障',
          '其他',
        ],
        '发放的救助或福利项目',
        '最低生活保障',
      ),
      MONTH_OF_PAYMENT('发放所属月份'),
      required('发放金额', 'amount', 'amount', '当月发放金额，单位元', '620.00'),
      optional('发放日期', 'paymentDate', 'date', '资金实际发放日期', '2025-06-12'),
    ],
  }),
  dataset({
    code: 'student_status',
    name: '在校学生学籍',
    departmentCode: 'education',
    frequency: 'half_yearly',
    kind: 'snapshot',
    core: false,
    description:
      '教育部门的在校学生受教育信息及公派出国留学信息（第七条第二项），用于认定在校接受全日制本科及以下学历教育的子女（第四条）',
    columns: [
      required('学校名称', 'schoolName', 'text', '就读学校全称', '兰州大学'),
      oneOf(
        '学历层次',
        'educationLevel',
        [
          '学前教育',
          '小学',
          '初中',
          '普通高中',
          '中等职业教育',
          '高职专科',
          '本科',
          '硕士研究生',
          '博士研究生',
        ],
        '当前就读的学历层次',
        '本科',
      ),
      oneOf('学习形式', 'studyMode', ['全日制', '非全日制'], '全日制或非全日制', '全日制'),
      oneOf(
        '学籍状态',
        'enrolmentStatus',
        ['在读', '休学', '毕业', '结业', '肄业', '退学', '转出'],
        '当前学籍状态',
        '在读',
      ),
      required('入学日期', 'enrolmentDate', 'date', '本学历层次的入学日期', '2024-09-01'),
      optional('预计毕业年月', 'expectedGraduationMonth', 'month', '按学制预计毕业的年月', '2028-06'),
      optional('公派出国留学', 'studyingAbroad', 'bool', '是否为公派出国留学人员；不填视为否', '否', {
        emptyMeans: '否',
      }),
    ],
  }),
  dataset({
    code: 'student_aid',
    name: '学生资助',
    departmentCode: 'education',
    frequency: 'half_yearly',
    kind: 'periodic',
    core: false,
    description:
      '教育部门的学生接受资助信息（第七条第二项）；奖助学金等是否计入收入由政策配置决定，助学贷款不是收入',
    columns: [
      oneOf(
        '资助项目',
        'aidType',
        ['国家助学金', '国家奖学金', '国家励志奖学金', '免学费', '生活费补助', '国家助学贷款', '其他'],
        '资助的项目',
        '国家助学金',
      ),
      optional('学校名称', 'schoolName', 'text', '发放资助的学校', '庆阳职业技术学院'),
      required('发放日期', 'paymentDate', 'date', '资助发放日期', '2025-04-15'),
      required('金额', 'amount', 'amount', '资助金额，单位元', '1650.00'),
    ],
  }),
  dataset({
    code: 'religious_personnel',
    name: '宗教教职人员及朝觐人员',
    departmentCode: 'united_front',
    frequency: 'half_yearly',
    kind: 'snapshot',
    core: false,
    description:
      '统战部门的宗教教职人员登记和朝觐人员信息（第七条第三项）；连续三年以上脱离家庭独立生活的宗教教职人员不计入共同生活的家庭成员（第四条）',
    columns: [
      oneOf('人员类别', 'personCategory', ['宗教教职人员', '朝觐人员'], '登记的人员类别', '宗教教职人员'),
      oneOf('宗教', 'religion', ['佛教', '道教', '伊斯兰教', '天主教', '基督教'], '所属宗教', '佛教'),
      optional('宗教活动场所', 'venue', 'text', '任职或所在的宗教活动场所', '西峰区某某寺'),
      required('备案日期', 'registrationDate', 'date', '教职人员备案或朝觐登记的日期', '2015-04-21'),
      optional(
        '脱离家庭居住起始日期',
        'livingApartSince',
        'date',
        '开始脱离家庭、在宗教活动场所独立生活的日期；未脱离家庭的不填',
        '2018-03-01',
      ),
      oneOf('登记状态', 'registrationStatus', ['有效', '注销'], '备案或登记当前状态', '有效'),
    ],
  }),
  dataset({
    code: 'exit_entry',
    name: '出入境记录',
    departmentCode: 'public_security',
    frequency: 'monthly',
    kind: 'periodic',
    core: false,
    description: '公安部门的出入境信息（第七条第四项），用于核对家庭成员的居住和消费情况',
    columns: [
      oneOf('出入境类型', 'direction', ['出境', '入境'], '出境或入境', '出境'),
      required('出入境日期', 'crossingDate', 'date', '通关日期', '2025-06-18'),
      oneOf(
        '证件类型',
        'documentType',
        ['护照', '往来港澳通行证', '往来台湾通行证', '其他'],
        '出入境所用证件',
        '护照',
      ),
      optional('口岸', 'port', 'text', '出入境口岸', '兰州中川国际机场'),
      optional('前往国家或地区', 'destination', 'text', '出境时前往的国家或地区', '泰国'),
    ],
  }),
  dataset({
    code: 'employment',
    name: '就业失业登记',
    departmentCode: 'human_resources',
    frequency: 'monthly',
    kind: 'snapshot',
    core: false,
    description: '人社部门的就业、失业登记和就业援助信息（第七条第六项），用于核对就业状况（第十条）',
    columns: [
      oneOf(
        '登记类型',
        'registrationType',
        ['就业登记', '失业登记', '灵活就业登记'],
        '就业或失业登记的类型',
        '失业登记',
      ),
      optional(
        '用人单位',
        'employer',
        'text',
        '就业登记的用人单位；失业登记不填',
        '庆阳某某建筑工程有限公司',
      ),
      required('登记日期', 'registrationDate', 'date', '办理登记的日期', '2025-03-02'),
      oneOf('登记状态', 'registrationStatus', ['有效', '已注销'], '登记当前是否有效', '有效'),
      optional(
        '接受就业援助',
        'employmentAssistance',
        'bool',
        '是否为接受就业援助的就业困难人员；不填视为否',
        '否',
        {
          emptyMeans: '否',
        },
      ),
    ],
  }),
  dataset({
    code: 'housing_security',
    name: '住房保障',
    departmentCode: 'housing',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: false,
    description: '住建部门的公共租赁住房、租赁补贴等住房保障信息（第七条第八项）',
    columns: [
      oneOf(
        '保障方式',
        'securityType',
        ['公共租赁住房', '保障性租赁住房', '共有产权住房', '租赁补贴', '棚户区改造安置', '其他'],
        '享受的住房保障方式',
        '公共租赁住房',
      ),
      optional(
        '房屋坐落',
        'location',
        'text',
        '保障住房的地址；领取租赁补贴的不填',
        '西峰区安居小区5号楼1单元301室',
      ),
      optional('建筑面积', 'floorArea', 'area', '保障住房建筑面积，单位平方米', '49.80'),
      optional('月租金', 'monthlyRent', 'amount', '公租房等每月应缴租金，单位元', '198.00'),
      optional('月租赁补贴', 'monthlySubsidy', 'amount', '每月发放的租赁补贴，单位元', '300.00'),
      required('保障起始日期', 'startDate', 'date', '开始享受住房保障的日期', '2022-10-01'),
      oneOf('保障状态', 'securityStatus', ['保障中', '已退出'], '当前是否仍在保障', '保障中'),
    ],
  }),
  dataset({
    code: 'house_lease',
    name: '房屋租赁登记备案',
    departmentCode: 'housing',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: false,
    description:
      '住建部门的房屋租赁合同登记备案信息（第七条第八项）；出租房屋的租金是财产净收入（第十一条第三项）的证据',
    columns: [
      oneOf('租赁身份', 'leaseRole', ['出租人', '承租人'], '本人在租赁合同中的身份', '出租人'),
      required('房屋坐落', 'location', 'text', '租赁房屋的地址', '西峰区南街12号2单元401室'),
      optional('租赁面积', 'floorArea', 'area', '租赁面积，单位平方米', '76.40'),
      required('月租金', 'monthlyRent', 'amount', '合同约定的月租金，单位元', '1200.00'),
      required('租赁起始日期', 'startDate', 'date', '合同租赁期的第一天', '2024-07-01', {
        notAfter: 'endDate',
      }),
      required('租赁终止日期', 'endDate', 'date', '合同租赁期的最后一天，可晚于今天', '2026-06-30', {
        allowFuture: true,
      }),
      oneOf('备案状态', 'filingStatus', ['有效', '已终止'], '备案当前状态', '有效'),
    ],
  }),
  dataset({
    code: 'land_transfer',
    name: '土地经营权流转',
    departmentCode: 'agriculture',
    frequency: 'half_yearly',
    kind: 'snapshot',
    core: false,
    description:
      '农业农村部门的土地经营权流转信息（第七条第十一项）；转出承包土地经营权的流转费是财产净收入（第十一条第三项）的证据',
    columns: [
      oneOf('流转身份', 'transferRole', ['流出方', '流入方'], '本人在流转合同中的身份', '流出方'),
      optional('地块坐落', 'location', 'text', '流转地块所在位置', '西峰区董志镇某某村三组'),
      required(
        '流转面积',
        'transferArea',
        'area',
        '流转面积，单位平方米（1亩约合666.67平方米），最多两位小数',
        '6666.70',
      ),
      oneOf('流转方式', 'transferMode', ['出租', '转包', '入股', '其他'], '土地经营权流转的方式', '出租'),
      required('年流转费', 'annualFee', 'amount', '合同约定的每年流转费或分红，单位元', '3000.00'),
      required('合同起始日期', 'startDate', 'date', '流转合同的起始日期', '2020-01-01', {
        notAfter: 'endDate',
      }),
      required('合同终止日期', 'endDate', 'date', '流转合同的终止日期，可晚于今天', '2029-12-31', {
        allowFuture: true,
      }),
    ],
  }),
  dataset({
    code: 'farm_machinery',
    name: '农业机械及购置补贴',
    departmentCode: 'agriculture',
    frequency: 'half_yearly',
    kind: 'snapshot',
    core: false,
    description:
      '农业农村部门的农机购置补贴和农业机械登记信息（第七条第十一项）；大型农机具属家庭动产（第十二条）',
    columns: [
      required('机具品目', 'machineryItem', 'text', '农机购置补贴目录中的品目', '轮式拖拉机'),
      optional('机具型号', 'model', 'text', '机具型号', 'LX904'),
      required('大型农机具', 'large', 'bool', '是否属于大型农机具', '是'),
      required('购置日期', 'purchaseDate', 'date', '购置或登记日期', '2022-04-06'),
      optional('购置补贴金额', 'purchaseSubsidy', 'amount', '享受的农机购置补贴，单位元', '18500.00'),
      oneOf('登记状态', 'registrationStatus', ['正常', '转移', '注销', '报废'], '机具当前状态', '正常'),
    ],
  }),
  dataset({
    code: 'health_assistance',
    name: '卫生健康救助扶助',
    departmentCode: 'health',
    frequency: 'half_yearly',
    kind: 'periodic',
    core: false,
    description:
      '卫生健康部门的疾病应急救助和计划生育特殊家庭扶助信息（第七条第十二项）；是否计入收入由政策配置决定',
    columns: [
      oneOf(
        '项目类型',
        'aidType',
        ['疾病应急救助', '计划生育特殊家庭扶助金', '计划生育奖励扶助金', '其他'],
        '救助或扶助的项目',
        '计划生育特殊家庭扶助金',
      ),
      MONTH_OF_PAYMENT('救助或扶助所属月份'),
      required('金额', 'amount', 'amount', '发放或支付的金额，单位元', '590.00'),
      optional('医疗机构', 'institution', 'text', '疾病应急救助的救治医疗机构', '庆阳市人民医院'),
    ],
  }),
  dataset({
    code: 'illness_record',
    name: '患病情况',
    departmentCode: 'health',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: false,
    description: '卫生健康部门的患病情况信息（第七条第十二项），属敏感个人信息，仅用于本次核对',
    columns: [
      oneOf(
        '疾病类别',
        'illnessCategory',
        ['重大疾病', '慢性病', '严重精神障碍', '其他'],
        '疾病的类别',
        '慢性病',
      ),
      optional('疾病名称', 'illnessName', 'text', '诊断的疾病名称', '2型糖尿病'),
      optional('确诊机构', 'diagnosingInstitution', 'text', '作出诊断的医疗机构', '庆阳市人民医院'),
      required('确诊日期', 'diagnosisDate', 'date', '确诊日期', '2023-11-20'),
    ],
  }),
  dataset({
    code: 'disaster_relief',
    name: '受灾人员救助',
    departmentCode: 'emergency',
    frequency: 'quarterly',
    kind: 'periodic',
    core: false,
    description:
      '应急管理部门的灾后救助信息（第七条第十三项），按受灾人员逐笔报送；已在此报送的救助不再重复报入补贴补助',
    columns: [
      oneOf(
        '灾害类型',
        'disasterType',
        ['洪涝', '干旱', '地震', '地质灾害', '风雹', '低温冷冻', '雪灾', '森林草原火灾', '其他'],
        '致灾的灾害类型',
        '风雹',
      ),
      required('受灾日期', 'disasterDate', 'date', '灾害发生日期', '2025-05-28'),
      oneOf(
        '救助类型',
        'reliefType',
        [
          '应急期生活救助',
          '过渡期生活救助',
          '冬春生活救助',
          '倒损住房恢复重建补助',
          '遇难人员家属抚慰金',
          '其他',
        ],
        '发放的救助种类',
        '过渡期生活救助',
      ),
      required('发放日期', 'paymentDate', 'date', '救助资金发放日期', '2025-06-10'),
      required('救助金额', 'amount', 'amount', '发放金额，单位元', '1500.00'),
    ],
  }),
  dataset({
    code: 'forest_right',
    name: '林权登记',
    departmentCode: 'forestry',
    frequency: 'half_yearly',
    kind: 'snapshot',
    core: false,
    description:
      '林草部门的林权（林地、林木）登记信息（第七条第十四项）；林木等定着物属家庭不动产（第十二条）',
    columns: [
      required(
        '林权证号',
        'certificateNumber',
        'text',
        '林权证号或不动产权证号',
        '甘(2021)西峰区不动产权第0001234号',
      ),
      optional('林地坐落', 'location', 'text', '林地所在位置', '西峰区董志镇某某村'),
      required(
        '林地面积',
        'forestArea',
        'area',
        '林地面积，单位平方米（1亩约合666.67平方米），最多两位小数',
        '13333.40',
      ),
      oneOf('森林类别', 'forestCategory', ['公益林', '商品林'], '森林类别', '商品林'),
      oneOf(
        '权利类型',
        'rightType',
        ['林地承包经营权', '林地经营权', '林地使用权', '林木所有权', '林木使用权'],
        '登记的林权类型',
        '林木所有权',
      ),
      required('登记日期', 'registrationDate', 'date', '林权登记日期', '2021-08-16'),
      oneOf('权利状态', 'rightStatus', ['现势', '注销', '查封'], '权利的当前状态', '现势'),
      optional('权利份额', 'share', 'percent', '共有时本人所占份额（0至100）；不填视为100', '100', {
        emptyMeans: '100',
      }),
    ],
  }),
  dataset({
    code: 'medical_insurance',
    name: '医疗保障',
    departmentCode: 'medical_insurance',
    frequency: 'monthly',
    kind: 'periodic',
    core: false,
    description:
      '医保部门的基本医疗保险、大病保险参保缴费及医疗费用结算、医疗救助信息（第七条第十六项）；个人缴费计入转移性支出的证据',
    columns: [
      oneOf(
        '险种',
        'schemeType',
        ['职工基本医疗保险', '城乡居民基本医疗保险', '大病保险', '医疗救助'],
        '参保或享受待遇的险种',
        '城乡居民基本医疗保险',
      ),
      oneOf(
        '参保状态',
        'enrolmentStatus',
        ['参保缴费', '暂停缴费', '终止参保'],
        '所属月份的参保状态',
        '参保缴费',
      ),
      MONTH_OF_PAYMENT('缴费或结算所属月份'),
      optional('个人缴费额', 'personalContribution', 'amount', '当月个人缴费，单位元', '380.00'),
      optional('医疗总费用', 'totalMedicalCost', 'amount', '当月结算的医疗总费用，单位元', '8650.00'),
      optional(
        '基金支付额',
        'fundPayment',
        'amount',
        '医保基金、大病保险或医疗救助支付的金额，单位元',
        '5620.00',
      ),
      optional('个人自付额', 'outOfPocket', 'amount', '个人负担的医疗费用，单位元', '3030.00'),
    ],
  }),
  dataset({
    code: 'custody',
    name: '服刑及强制隔离戒毒',
    departmentCode: 'justice',
    frequency: 'quarterly',
    kind: 'snapshot',
    core: false,
    description:
      '司法行政部门的监狱服刑和强制隔离戒毒人员信息（第七条第二十项“其他相关部门”）；此类人员不计入共同生活的家庭成员（第四条）',
    columns: [
      oneOf('羁押类别', 'custodyType', ['监狱服刑', '强制隔离戒毒'], '服刑或强制隔离戒毒', '监狱服刑'),
      required('羁押场所', 'facility', 'text', '监狱或戒毒所名称', '甘肃省某某监狱'),
      required('入所日期', 'startDate', 'date', '入监或入所日期', '2022-03-15', { notAfter: 'releaseDate' }),
      optional(
        '预计出所日期',
        'expectedReleaseDate',
        'date',
        '刑期或戒毒期满日期，可晚于今天',
        '2027-03-14',
        {
          allowFuture: true,
        },
      ),
      optional('实际出所日期', 'releaseDate', 'date', '已释放或解除的日期；仍在所的不填', '2025-03-14'),
      oneOf('羁押状态', 'custodyStatus', ['在所', '已出所'], '当前是否仍在监狱或戒毒所', '在所'),
    ],
  }),
];

export const DATASETS: readonly DatasetDef[] = [...CORE_DATASETS, ...FURTHER_DATASETS];

export function findDataset(code: string): DatasetDef | undefined {
  return DATASETS.find((candidate) => candidate.code === code);
}

/** The datasets a department delivers, including those it shares with a lead department (`death`, `subsidy`). */
export function datasetsOfDepartment(departmentCode: string): DatasetDef[] {
  return DATASETS.filter(
    (candidate) =>
      candidate.departmentCode === departmentCode ||
      (candidate.otherDepartmentCodes ?? []).includes(departmentCode),
  );
}

export function findColumn(dataset: DatasetDef, key: string): ColumnDef | undefined {
  return dataset.columns.find((column) => column.key === key);
}
