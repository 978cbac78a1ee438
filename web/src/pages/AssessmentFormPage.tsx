import { DeleteOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import type { FormInstance } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  DECLARABLE_INCOME,
  type DeclarableIncome,
  type DeclaredAssetsInput,
  type DeclaredItems,
  EXCLUSIONS,
  type Exclusion,
  type HouseholdMemberInput,
  type HouseholdRequestInput,
  ITEM_ASSETS,
  type ItemAsset,
  runAssessment,
} from '../api/assessments';
import { ASSISTANCE_TYPES, type AssistanceType } from '../api/policy';
import { type FieldError, validationErrors } from '../api/validation';
import { useMe } from '../auth/session';
import { RegionTreeSelect } from '../components/RegionTreeSelect';
import { DISCREPANCY_CATEGORY_LABEL, EXCLUSION_LABEL, isPlainObject } from '../domain/assessment';
import { ASSISTANCE_TYPE_LABEL } from '../domain/policy';
import { fenToYuan, yuanToFen } from '../domain/yuan';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { DATE_FORMAT, parseDate, todayInShanghai } from '../utils/datetime';
import { withTestId } from '../utils/testId';

const MONTH_FORMAT = 'YYYY-MM';
export const RELATIONS = ['本人', '配偶', '子', '女', '父', '母', '孙子女', '兄弟姐妹', '其他'];

export interface MemberValues {
  idNumber?: string;
  name?: string;
  relation?: string;
  coResiding?: boolean;
  exclusion?: Exclusion | null;
  /** Yuan as typed, per category; empty means not declared. */
  income?: Partial<Record<DeclarableIncome, string>>;
}

interface ItemValues {
  count?: number | null;
  identifiers?: string[];
}

export interface FormValues {
  caseRef?: string;
  regionCode?: string;
  assistanceType?: AssistanceType;
  asOfDate?: Dayjs | null;
  windowEndMonth?: Dayjs | null;
  members?: MemberValues[];
  assets?: { deposits?: string } & Partial<Record<ItemAsset, ItemValues>>;
}

export const EMPTY_MEMBER: MemberValues = { coResiding: true, exclusion: null, relation: '' };

function filled(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}

/** The request the form describes; amounts in yuan become fen on the digits (never through floating point). */
export function toRequest(values: FormValues): HouseholdRequestInput {
  const members = (values.members ?? []).map((member): HouseholdMemberInput => {
    const income: Partial<Record<DeclarableIncome, number>> = {};
    for (const category of DECLARABLE_INCOME) {
      const text = member.income?.[category];
      if (filled(text)) income[category] = yuanToFen(text) ?? Number.NaN;
    }
    return {
      idNumber: (member.idNumber ?? '').trim(),
      name: (member.name ?? '').trim(),
      relation: (member.relation ?? '').trim(),
      coResiding: member.coResiding ?? true,
      exclusion: member.exclusion ?? null,
      ...(Object.keys(income).length > 0 ? { declaredIncome: income } : {}),
    };
  });
  const assets: DeclaredAssetsInput = {};
  const deposits = values.assets?.deposits;
  if (filled(deposits)) assets.depositsFen = yuanToFen(deposits) ?? Number.NaN;
  for (const kind of ITEM_ASSETS) {
    const item = values.assets?.[kind];
    const identifiers = (item?.identifiers ?? []).map((id) => id.trim()).filter(Boolean);
    if ((item?.count === null || item?.count === undefined) && identifiers.length === 0) continue;
    const declared: DeclaredItems = { count: item?.count ?? identifiers.length };
    if (identifiers.length > 0) declared.identifiers = identifiers;
    assets[kind] = declared;
  }
  return {
    caseRef: (values.caseRef ?? '').trim(),
    regionCode: values.regionCode ?? '',
    assistanceType: values.assistanceType as AssistanceType,
    ...(values.asOfDate ? { asOfDate: values.asOfDate.format(DATE_FORMAT) } : {}),
    ...(values.windowEndMonth ? { windowEndMonth: values.windowEndMonth.format(MONTH_FORMAT) } : {}),
    members,
    ...(Object.keys(assets).length > 0 ? { declaredAssets: assets } : {}),
  };
}

function fenText(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? fenToYuan(value) : undefined;
}

function itemValues(value: unknown): ItemValues | undefined {
  if (!isPlainObject(value)) return undefined;
  const count = typeof value.count === 'number' ? value.count : null;
  const identifiers = Array.isArray(value.identifiers)
    ? value.identifiers.filter((id): id is string => typeof id === 'string')
    : [];
  return { count, identifiers };
}

/** A household file of `hedui assess --household` (the request's JSON, amounts in fen) as form values. */
export function householdFileToValues(data: unknown): FormValues {
  if (!isPlainObject(data)) throw new SyntaxError('not an object');
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const members = Array.isArray(data.members)
    ? data.members.filter(isPlainObject).map((member): MemberValues => {
        const declared = isPlainObject(member.declaredIncome) ? member.declaredIncome : {};
        const income: Partial<Record<DeclarableIncome, string>> = {};
        for (const category of DECLARABLE_INCOME) {
          const yuan = fenText(declared[category]);
          if (yuan !== undefined) income[category] = yuan;
        }
        const exclusion = (EXCLUSIONS as readonly unknown[]).includes(member.exclusion)
          ? (member.exclusion as Exclusion)
          : null;
        return {
          idNumber: text(member.idNumber),
          name: text(member.name),
          relation: text(member.relation),
          coResiding: typeof member.coResiding === 'boolean' ? member.coResiding : true,
          exclusion,
          income,
        };
      })
    : [];
  const assets = isPlainObject(data.declaredAssets) ? data.declaredAssets : {};
  const asOf = text(data.asOfDate);
  const windowEnd = text(data.windowEndMonth);
  const type = text(data.assistanceType);
  return {
    caseRef: text(data.caseRef),
    regionCode: text(data.regionCode),
    assistanceType: (ASSISTANCE_TYPES as readonly string[]).includes(type ?? '')
      ? (type as AssistanceType)
      : undefined,
    asOfDate: asOf ? parseDate(asOf) : parseDate(todayInShanghai()),
    windowEndMonth: windowEnd ? dayjs(windowEnd, MONTH_FORMAT) : null,
    members: members.length > 0 ? members : [{ ...EMPTY_MEMBER }],
    assets: {
      deposits: fenText(assets.depositsFen),
      vehicles: itemValues(assets.vehicles),
      realEstate: itemValues(assets.realEstate),
      marketEntities: itemValues(assets.marketEntities),
    },
  };
}

/** The form field a server path names (`members.1.declaredIncome.wages` → members/1/income/wages). */
function fieldOf(path: readonly (string | number)[]): (string | number)[] | null {
  const [head, index, field, sub] = path;
  if (head === 'caseRef' || head === 'regionCode' || head === 'assistanceType') return [head];
  if (head === 'asOfDate' || head === 'windowEndMonth') return [head];
  if (head === 'members' && typeof index === 'number') {
    if (field === 'declaredIncome' && typeof sub === 'string') return ['members', index, 'income', sub];
    if (typeof field === 'string' && field !== 'declaredIncome') return ['members', index, field];
    return null;
  }
  if (head === 'declaredAssets') {
    if (index === 'depositsFen') return ['assets', 'deposits'];
    if (typeof index === 'string' && (ITEM_ASSETS as readonly string[]).includes(index))
      return ['assets', index, field === 'identifiers' ? 'identifiers' : 'count'];
  }
  return null;
}

export function showServerErrors(form: FormInstance<FormValues>, errors: FieldError[]): void {
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const error of errors) {
    const name = fieldOf(error.path);
    if (!name) continue;
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(error.message);
    byField.set(key, entry);
  }
  // The paths come from the server; antd's typed names cannot describe them statically.
  form.setFields([...byField.values()] as Parameters<FormInstance<FormValues>['setFields']>[0]);
}

export function MemberCard({
  index,
  remove,
  removable,
}: {
  index: number;
  remove: () => void;
  removable: boolean;
}) {
  const { t } = useI18n();
  const yuanRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (!filled(value)) return;
      if (yuanToFen(value) === null) throw new Error(t('assessment.form.yuanInvalid'));
    },
  };
  return (
    <Card
      size="small"
      title={t('assessment.form.memberN', { n: index + 1 })}
      data-testid={`member-${index}`}
      extra={
        removable && (
          <Button
            size="small"
            danger
            icon={<DeleteOutlined />}
            onClick={remove}
            data-testid={`member-${index}-remove`}
          >
            {t('assessment.form.removeMember')}
          </Button>
        )
      }
    >
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item
            name={[index, 'idNumber']}
            label={t('assessment.idNumber')}
            rules={[{ required: true, whitespace: true, message: t('assessment.form.idRequired') }]}
          >
            <Input maxLength={18} autoComplete="off" data-testid={`member-${index}-id`} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item
            name={[index, 'name']}
            label={t('assessment.name')}
            rules={[{ required: true, whitespace: true, message: t('assessment.form.nameRequired') }]}
          >
            <Input maxLength={64} autoComplete="off" data-testid={`member-${index}-name`} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item
            name={[index, 'relation']}
            label={t('assessment.relation')}
            rules={[{ required: true, whitespace: true, message: t('assessment.form.relationRequired') }]}
          >
            <Input
              maxLength={20}
              list="assessment-relations"
              placeholder={t('assessment.form.relationPlaceholder')}
              data-testid={`member-${index}-relation`}
            />
          </Form.Item>
        </Col>
        <Col span={3}>
          <Form.Item name={[index, 'coResiding']} label={t('assessment.coResiding')} valuePropName="checked">
            <Switch data-testid={`member-${index}-co-residing`} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item name={[index, 'exclusion']} label={t('assessment.exclusion')}>
            <Select<Exclusion | null>
              allowClear
              placeholder={t('assessment.form.exclusionNone')}
              options={EXCLUSIONS.map((value) => ({ value, label: t(EXCLUSION_LABEL[value]) }))}
              data-testid={`member-${index}-exclusion`}
            />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Text type="secondary">{t('assessment.form.declaredIncomeHint')}</Typography.Text>
      <Row gutter={12} style={{ marginTop: 8 }}>
        {DECLARABLE_INCOME.map((category) => (
          <Col span={4} key={category}>
            <Form.Item
              name={[index, 'income', category]}
              label={t(DISCREPANCY_CATEGORY_LABEL[category])}
              rules={[yuanRule]}
            >
              <Input
                suffix={t('assessment.yuan')}
                inputMode="decimal"
                placeholder="0.00"
                data-testid={`member-${index}-income-${category}`}
              />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** 新建核对: one household of a case, as the CLI's household file describes it. */
export function AssessmentFormPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  // From a case page (核对): the case number; the members' ID numbers are masked there, so they are entered here.
  const caseRefParam = useSearchParams()[0].get('caseRef');

  const yuanRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (!filled(value)) return;
      if (yuanToFen(value) === null) throw new Error(t('assessment.form.yuanInvalid'));
    },
  };

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setFailure(null);
    setErrors([]);
    try {
      const assessment = await runAssessment(toRequest(values));
      message.success(t('assessment.form.done'));
      navigate(`/assessments/${assessment.id}`);
    } catch (error) {
      if (isSessionExpired(error)) return;
      const fieldErrors = validationErrors(error);
      setErrors(fieldErrors);
      showServerErrors(form, fieldErrors);
      setFailure(describeError(error, t));
    } finally {
      setSaving(false);
    }
  };

  const importFile = async (file: File) => {
    try {
      const values = householdFileToValues(JSON.parse(await file.text()));
      form.resetFields();
      form.setFieldsValue({ ...values, regionCode: values.regionCode ?? me.organisation.regionCode });
      setErrors([]);
      setFailure(null);
      message.success(t('assessment.form.imported', { name: file.name }));
    } catch {
      message.error(t('assessment.form.importFailed', { name: file.name }));
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="assessment-form-page">
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('assessment.form.title')}
        </Typography.Title>
        <Space>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            style={{ display: 'none' }}
            data-testid="assessment-import-file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void importFile(file);
            }}
          />
          <Button
            icon={<ImportOutlined />}
            onClick={() => fileInput.current?.click()}
            data-testid="assessment-import"
          >
            {t('assessment.form.importJson')}
          </Button>
          <Button onClick={() => navigate('/assessments')}>{t('assessment.backToList')}</Button>
        </Space>
      </Flex>
      <Alert type="info" showIcon message={t('assessment.form.hint')} />
      {caseRefParam && (
        <Alert type="warning" showIcon message={t('case.verifyHint')} data-testid="assessment-from-case" />
      )}
      {failure && (
        <Alert
          type="error"
          showIcon
          message={failure}
          data-testid="assessment-form-error"
          description={
            errors.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="assessment-form-errors">
                {errors.map((error, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the server's list has no ids and does not change order
                  <li key={index}>
                    {error.path.length > 0 && <Typography.Text code>{error.path.join('.')}</Typography.Text>}{' '}
                    {error.message}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}
      <datalist id="assessment-relations">
        {RELATIONS.map((relation) => (
          <option key={relation} value={relation} />
        ))}
      </datalist>
      <Form<FormValues>
        form={form}
        layout="vertical"
        data-testid="assessment-form"
        initialValues={{
          ...(caseRefParam ? { caseRef: caseRefParam } : {}),
          regionCode: me.organisation.regionCode,
          assistanceType: 'subsistence_allowance',
          asOfDate: parseDate(todayInShanghai()),
          members: [{ ...EMPTY_MEMBER, relation: '本人' }],
        }}
      >
        <Card title={t('assessment.form.case')} size="small">
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item
                name="caseRef"
                label={t('assessment.caseRef')}
                rules={[{ required: true, whitespace: true, message: t('assessment.form.caseRefRequired') }]}
              >
                <Input maxLength={64} data-testid="assessment-case-ref" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name="regionCode"
                label={t('assessment.region')}
                rules={[{ required: true, message: t('assessment.form.regionRequired') }]}
              >
                <RegionTreeSelect />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item
                name="assistanceType"
                label={t('assessment.assistanceType')}
                rules={[{ required: true, message: t('assessment.form.typeRequired') }]}
              >
                <Select<AssistanceType>
                  options={ASSISTANCE_TYPES.map((type) => ({
                    value: type,
                    label: t(ASSISTANCE_TYPE_LABEL[type]),
                  }))}
                  data-testid="assessment-type"
                />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="asOfDate" label={t('assessment.asOfDate')}>
                <DatePicker
                  style={{ width: '100%' }}
                  format={DATE_FORMAT}
                  disabledDate={(date) => date.format(DATE_FORMAT) > todayInShanghai()}
                  data-testid="assessment-as-of"
                />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item
                name="windowEndMonth"
                label={t('assessment.form.windowEndMonth')}
                tooltip={t('assessment.form.windowEndMonthHint')}
              >
                <DatePicker
                  picker="month"
                  style={{ width: '100%' }}
                  format={MONTH_FORMAT}
                  placeholder={t('assessment.form.windowEndMonthPlaceholder')}
                  data-testid="assessment-window-end"
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('assessment.form.members')} size="small" style={{ marginTop: 16 }}>
          <Form.List name="members">
            {(fields, { add, remove }) => (
              <Flex vertical gap={12}>
                {fields.map((field) => (
                  <MemberCard
                    key={field.key}
                    index={field.name}
                    removable={fields.length > 1}
                    remove={() => remove(field.name)}
                  />
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ ...EMPTY_MEMBER })}
                  disabled={fields.length >= 30}
                  data-testid="member-add"
                >
                  {t('assessment.form.addMember')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Card>

        <Card title={t('assessment.form.declaredAssets')} size="small" style={{ marginTop: 16 }}>
          <Typography.Paragraph type="secondary">
            {t('assessment.form.declaredAssetsHint')}
          </Typography.Paragraph>
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item
                name={['assets', 'deposits']}
                label={t('assessment.category.deposits')}
                rules={[yuanRule]}
              >
                <Input
                  suffix={t('assessment.yuan')}
                  inputMode="decimal"
                  placeholder="0.00"
                  data-testid="assets-deposits"
                />
              </Form.Item>
            </Col>
          </Row>
          {ITEM_ASSETS.map((kind) => (
            <Row gutter={16} key={kind}>
              <Col span={6}>
                <Form.Item
                  name={['assets', kind, 'count']}
                  label={t('assessment.form.itemCount', { kind: t(DISCREPANCY_CATEGORY_LABEL[kind]) })}
                >
                  <InputNumber<number>
                    min={0}
                    precision={0}
                    style={{ width: '100%' }}
                    {...withTestId(`assets-${kind}-count`, {})}
                  />
                </Form.Item>
              </Col>
              <Col span={18}>
                <Form.Item
                  name={['assets', kind, 'identifiers']}
                  label={t(`assessment.form.identifiers.${kind}`)}
                >
                  <Select<string[]>
                    mode="tags"
                    open={false}
                    tokenSeparators={[',', '，', ' ']}
                    placeholder={t('assessment.form.identifiersPlaceholder')}
                    data-testid={`assets-${kind}-ids`}
                  />
                </Form.Item>
              </Col>
            </Row>
          ))}
        </Card>

        <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
          <Button onClick={() => navigate('/assessments')}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={saving}
            onClick={() => void submit()}
            data-testid="assessment-submit"
          >
            {t('assessment.form.submit')}
          </Button>
        </Flex>
      </Form>
    </Space>
  );
}
