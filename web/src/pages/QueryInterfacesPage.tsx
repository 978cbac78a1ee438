import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { type ProColumns, ProTable } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Divider,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { listDatasets } from '../api/datasets';
import {
  createQueryInterface,
  listQueryInterfaces,
  type QueryAuthKind,
  type QueryInterface,
  type QueryMethod,
  type QueryTestResult,
  testQueryInterface,
  updateQueryInterface,
} from '../api/queryInterfaces';
import type { Dataset } from '../api/types';
import { validationErrors } from '../api/validation';
import { useMe } from '../auth/session';
import { canManageQueryInterfaces } from '../domain/access';
import { useAsync } from '../hooks/useAsync';
import { describeError, useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

interface FieldMapEntry {
  column?: string;
  path?: string;
}

interface FormValues {
  name?: string;
  enabled: boolean;
  departmentCode?: string;
  dataset?: string;
  url: string;
  method: QueryMethod;
  authKind: QueryAuthKind;
  token?: string;
  username?: string;
  password?: string;
  headerName?: string;
  headerValue?: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  idField: string;
  nameField?: string;
  caseField: string;
  operatorField: string;
  rowsPath?: string;
  fieldMap: FieldMapEntry[];
}

const DEFAULTS: FormValues = {
  enabled: false,
  url: 'https://',
  method: 'POST',
  authKind: 'bearer',
  timeoutMs: 5000,
  retries: 2,
  backoffMs: 200,
  idField: 'idNumber',
  nameField: 'name',
  caseField: 'caseNumber',
  operatorField: 'operator',
  rowsPath: 'data.records',
  fieldMap: [],
};

/** Server paths of the configuration → the form field showing them. */
const FIELD_OF_PATH: Record<string, keyof FormValues> = {
  name: 'name',
  departmentCode: 'departmentCode',
  dataset: 'dataset',
  url: 'url',
  timeoutMs: 'timeoutMs',
  retries: 'retries',
  backoffMs: 'backoffMs',
  'auth.kind': 'authKind',
  'auth.token': 'token',
  'auth.username': 'username',
  'auth.password': 'password',
  'auth.name': 'headerName',
  'auth.value': 'headerValue',
  'request.method': 'method',
  'request.idField': 'idField',
  'request.nameField': 'nameField',
  'request.caseField': 'caseField',
  'request.operatorField': 'operatorField',
  'response.rowsPath': 'rowsPath',
};

function valuesOf(row: QueryInterface): FormValues {
  const { config } = row;
  const { auth } = config;
  return {
    name: row.name,
    enabled: row.enabled,
    departmentCode: config.departmentCode,
    dataset: config.dataset,
    url: config.url,
    method: config.request.method,
    authKind: auth.kind,
    // Secrets are write-only: the fields start empty and an empty one keeps the stored value.
    username: auth.kind === 'basic' ? auth.username : undefined,
    headerName: auth.kind === 'header' ? auth.name : undefined,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    backoffMs: config.backoffMs,
    idField: config.request.idField,
    nameField: config.request.nameField ?? '',
    caseField: config.request.caseField,
    operatorField: config.request.operatorField,
    rowsPath: config.response.rowsPath,
    fieldMap: Object.entries(config.response.fieldMap).map(([column, path]) => ({ column, path })),
  };
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function authOf(values: FormValues): Record<string, unknown> {
  switch (values.authKind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      return { kind: 'bearer', token: blankToUndefined(values.token) };
    case 'basic':
      return { kind: 'basic', username: values.username, password: blankToUndefined(values.password) };
    case 'header':
      return { kind: 'header', name: values.headerName, value: blankToUndefined(values.headerValue) };
  }
}

function configOf(values: FormValues): Record<string, unknown> {
  const fieldMap: Record<string, string> = {};
  for (const entry of values.fieldMap ?? []) if (entry.column) fieldMap[entry.column] = entry.path ?? '';
  return {
    departmentCode: values.departmentCode,
    dataset: values.dataset,
    url: values.url.trim(),
    auth: authOf(values),
    timeoutMs: values.timeoutMs,
    retries: values.retries,
    backoffMs: values.backoffMs,
    request: {
      method: values.method,
      idField: values.idField,
      nameField: values.nameField?.trim() ? values.nameField.trim() : null,
      caseField: values.caseField,
      operatorField: values.operatorField,
    },
    response: { rowsPath: values.rowsPath?.trim() ?? '', fieldMap },
  };
}

function EditModal({
  row,
  datasets,
  onClose,
  onSaved,
}: {
  row: QueryInterface | null;
  datasets: Dataset[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const departmentCode = Form.useWatch('departmentCode', form);
  const datasetCode = Form.useWatch('dataset', form);
  const authKind = Form.useWatch('authKind', form);
  const editing = row !== null;
  const keepsSecret = editing && row.authKind === authKind;

  const departments = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of datasets) seen.set(d.departmentCode, d.departmentName);
    return [...seen].map(([value, label]) => ({ value, label: `${label}（${value}）` }));
  }, [datasets]);
  const datasetOptions = datasets
    .filter((d) => d.departmentCode === departmentCode)
    .map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));
  const columns = datasets.find((d) => d.code === datasetCode)?.columns ?? [];

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setProblems([]);
    try {
      const input = { name: values.name?.trim() || null, enabled: values.enabled, config: configOf(values) };
      if (row) await updateQueryInterface(row.id, input);
      else await createQueryInterface(input);
      message.success(t('qi.saved'));
      onSaved();
    } catch (error) {
      const fieldErrors = validationErrors(error);
      if (fieldErrors.length > 0) {
        setProblems(fieldErrors.map((e) => e.message));
        form.setFields(
          fieldErrors.flatMap((e) => {
            const field = FIELD_OF_PATH[e.path.join('.')];
            return field ? [{ name: field, errors: [e.message] }] : [];
          }),
        );
      } else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  const secretPlaceholder = keepsSecret ? t('qi.secretKept') : undefined;
  const secretRules = keepsSecret ? [] : [{ required: true, message: t('qi.required') }];

  return (
    <Modal
      open
      width={820}
      title={row ? t('qi.editTitle', { name: row.name }) : t('qi.createTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={saving}
      okButtonProps={withTestId('qi-submit', {})}
      destroyOnClose
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={row ? valuesOf(row) : DEFAULTS}
        onValuesChange={(changed: Partial<FormValues>) => {
          if ('departmentCode' in changed) form.setFieldsValue({ dataset: undefined, fieldMap: [] });
          if ('dataset' in changed) form.setFieldsValue({ fieldMap: [] });
        }}
      >
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('qi.invalid')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="qi-problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            }
          />
        )}
        <Flex gap={16}>
          <Form.Item
            name="departmentCode"
            label={t('qi.department')}
            style={{ flex: 1 }}
            rules={[{ required: true, message: t('qi.required') }]}
          >
            <Select options={departments} showSearch optionFilterProp="label" data-testid="qi-department" />
          </Form.Item>
          <Form.Item
            name="dataset"
            label={t('qi.dataset')}
            style={{ flex: 1 }}
            rules={[{ required: true, message: t('qi.required') }]}
          >
            <Select options={datasetOptions} disabled={!departmentCode} data-testid="qi-dataset" />
          </Form.Item>
        </Flex>
        <Flex gap={16}>
          <Form.Item name="name" label={t('qi.name')} extra={t('qi.nameHint')} style={{ flex: 1 }}>
            <Input maxLength={100} data-testid="qi-name" />
          </Form.Item>
          <Form.Item name="enabled" label={t('qi.enabled')} valuePropName="checked">
            <Switch data-testid="qi-enabled" />
          </Form.Item>
        </Flex>
        <Divider orientation="left" plain>
          {t('qi.sectionEndpoint')}
        </Divider>
        <Flex gap={16}>
          <Form.Item name="method" label={t('qi.method')} style={{ width: 120 }}>
            <Select options={[{ value: 'POST' }, { value: 'GET' }]} />
          </Form.Item>
          <Form.Item
            name="url"
            label={t('qi.url')}
            extra={t('qi.urlHint')}
            style={{ flex: 1 }}
            rules={[{ required: true, message: t('qi.required') }]}
          >
            <Input data-testid="qi-url" />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="authKind" label={t('qi.authKind')} style={{ width: 200 }}>
            <Select
              options={(['none', 'bearer', 'basic', 'header'] as const).map((kind) => ({
                value: kind,
                label: t(`qi.auth.${kind}`),
              }))}
              data-testid="qi-auth-kind"
            />
          </Form.Item>
          {authKind === 'bearer' && (
            <Form.Item name="token" label={t('qi.token')} style={{ flex: 1 }} rules={secretRules}>
              <Input.Password
                autoComplete="new-password"
                placeholder={secretPlaceholder}
                data-testid="qi-token"
              />
            </Form.Item>
          )}
          {authKind === 'basic' && (
            <>
              <Form.Item
                name="username"
                label={t('qi.username')}
                style={{ flex: 1 }}
                rules={[{ required: true, message: t('qi.required') }]}
              >
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item name="password" label={t('qi.password')} style={{ flex: 1 }} rules={secretRules}>
                <Input.Password autoComplete="new-password" placeholder={secretPlaceholder} />
              </Form.Item>
            </>
          )}
          {authKind === 'header' && (
            <>
              <Form.Item
                name="headerName"
                label={t('qi.headerName')}
                style={{ flex: 1 }}
                rules={[{ required: true, message: t('qi.required') }]}
              >
                <Input autoComplete="off" placeholder="X-Api-Key" />
              </Form.Item>
              <Form.Item
                name="headerValue"
                label={t('qi.headerValue')}
                style={{ flex: 1 }}
                rules={secretRules}
              >
                <Input.Password autoComplete="new-password" placeholder={secretPlaceholder} />
              </Form.Item>
            </>
          )}
        </Flex>
        <Flex gap={16}>
          <Form.Item name="timeoutMs" label={t('qi.timeoutMs')} style={{ flex: 1 }}>
            <InputNumber min={100} max={60000} step={500} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="retries" label={t('qi.retries')} style={{ flex: 1 }}>
            <InputNumber min={0} max={5} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="backoffMs" label={t('qi.backoffMs')} style={{ flex: 1 }}>
            <InputNumber min={0} max={10000} step={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Divider orientation="left" plain>
          {t('qi.sectionRequest')}
        </Divider>
        <Typography.Paragraph type="secondary">{t('qi.requestHint')}</Typography.Paragraph>
        <Flex gap={16}>
          <Form.Item name="idField" label={t('qi.idField')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item
            name="nameField"
            label={t('qi.nameField')}
            extra={t('qi.nameFieldHint')}
            style={{ flex: 1 }}
          >
            <Input />
          </Form.Item>
          <Form.Item name="caseField" label={t('qi.caseField')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="operatorField" label={t('qi.operatorField')} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Flex>
        <Divider orientation="left" plain>
          {t('qi.sectionResponse')}
        </Divider>
        <Form.Item name="rowsPath" label={t('qi.rowsPath')} extra={t('qi.rowsPathHint')}>
          <Input placeholder="data.records" data-testid="qi-rows-path" />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('qi.fieldMapHint')}</Typography.Paragraph>
        <Form.List name="fieldMap">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field) => (
                <Space key={field.key} align="baseline">
                  <Form.Item
                    name={[field.name, 'column']}
                    noStyle
                    rules={[{ required: true, message: t('qi.required') }]}
                  >
                    <Select
                      style={{ width: 260 }}
                      placeholder={t('qi.column')}
                      options={columns.map((c) => ({
                        value: c.key,
                        label: `${c.header}${c.required ? ' *' : ''}`,
                      }))}
                    />
                  </Form.Item>
                  <span>→</span>
                  <Form.Item
                    name={[field.name, 'path']}
                    noStyle
                    rules={[{ required: true, message: t('qi.required') }]}
                  >
                    <Input style={{ width: 320 }} placeholder={t('qi.path')} />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={columns.length === 0}
                onClick={() => add({})}
                data-testid="qi-add-mapping"
              >
                {t('qi.addMapping')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function TestModal({ row, onClose }: { row: QueryInterface; onClose: () => void }) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<{ idNumber: string; name?: string }>();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<QueryTestResult | null>(null);

  const run = async () => {
    const values = await form.validateFields();
    setRunning(true);
    setResult(null);
    try {
      setResult(
        await testQueryInterface(row.id, { idNumber: values.idNumber.trim(), name: values.name?.trim() }),
      );
    } catch (error) {
      notifyError(error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={t('qi.testTitle', { name: row.name })}
      onCancel={onClose}
      onOk={() => void run()}
      okText={t('qi.testRun')}
      confirmLoading={running}
      okButtonProps={withTestId('qi-test-run', {})}
      cancelText={t('qi.close')}
    >
      <Typography.Paragraph type="secondary">{t('qi.testHint')}</Typography.Paragraph>
      <Form form={form} layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item
          name="idNumber"
          label={t('qi.testIdNumber')}
          rules={[{ required: true, message: t('qi.required') }]}
        >
          <Input style={{ width: 220 }} autoComplete="off" data-testid="qi-test-id" />
        </Form.Item>
        <Form.Item name="name" label={t('qi.testName')}>
          <Input style={{ width: 120 }} autoComplete="off" />
        </Form.Item>
      </Form>
      {result && (
        <Flex vertical gap={12} data-testid="qi-test-result">
          <Alert
            type={result.status === 'ok' ? (result.rejectedRowCount > 0 ? 'warning' : 'success') : 'error'}
            showIcon
            message={result.status === 'ok' ? t('qi.testOk') : t('qi.testUnavailable')}
            description={result.message}
          />
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('qi.rowCount')}>{result.rowCount}</Descriptions.Item>
            <Descriptions.Item label={t('qi.rejectedRowCount')}>{result.rejectedRowCount}</Descriptions.Item>
            <Descriptions.Item label={t('qi.attempts')}>{result.attempts}</Descriptions.Item>
            <Descriptions.Item label={t('qi.duration')}>
              {t('qi.durationValue', { ms: result.durationMs })}
            </Descriptions.Item>
            {result.reason && <Descriptions.Item label={t('qi.reason')}>{result.reason}</Descriptions.Item>}
            {result.httpStatus !== undefined && (
              <Descriptions.Item label="HTTP">{result.httpStatus}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('qi.caseNumber')} span={2}>
              <Typography.Text copyable>{result.caseNumber}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('qi.requestId')} span={2}>
              <Typography.Text copyable>{result.requestId}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {result.problems.length > 0 && (
            <Alert
              type="warning"
              message={t('qi.problems')}
              description={result.problems
                .map((p) => `${p.column || t('qi.wholeRecord')}：${p.code}`)
                .join('；')}
            />
          )}
        </Flex>
      )}
    </Modal>
  );
}

export function QueryInterfacesPage() {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manage = canManageQueryInterfaces(me.roles);
  const load = useCallback(async () => {
    const [items, datasets] = await Promise.all([listQueryInterfaces(), listDatasets()]);
    return { items, datasets };
  }, []);
  const { state, reload } = useAsync(load);
  const [editing, setEditing] = useState<QueryInterface | 'new' | null>(null);
  const [testing, setTesting] = useState<QueryInterface | null>(null);
  const [toggling, setToggling] = useState<number | null>(null);

  const toggle = async (row: QueryInterface, enabled: boolean) => {
    setToggling(row.id);
    try {
      await updateQueryInterface(row.id, { enabled });
      message.success(
        enabled ? t('qi.enabledNow', { name: row.name }) : t('qi.disabledNow', { name: row.name }),
      );
      await reload();
    } catch (error) {
      notifyError(error);
    } finally {
      setToggling(null);
    }
  };

  const columns: ProColumns<QueryInterface>[] = [
    {
      title: t('qi.name'),
      dataIndex: 'name',
      render: (_, row) => (
        <Flex vertical>
          <Typography.Text strong>{row.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.datasetName}（{row.dataset}）
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('qi.department'), dataIndex: 'departmentName', width: 200 },
    {
      title: t('qi.urlHost'),
      dataIndex: 'urlHost',
      width: 220,
      render: (_, row) => (
        <Space size={4}>
          <Tag>{row.config.request.method}</Tag>
          <Typography.Text code>{row.urlHost}</Typography.Text>
        </Space>
      ),
    },
    {
      title: t('qi.enabled'),
      dataIndex: 'enabled',
      width: 100,
      render: (_, row) =>
        manage ? (
          <Switch
            checked={row.enabled}
            loading={toggling === row.id}
            onChange={(checked) => void toggle(row, checked)}
            data-testid={`qi-toggle-${row.id}`}
          />
        ) : (
          <Tag color={row.enabled ? 'green' : 'default'}>
            {row.enabled ? t('status.active') : t('status.inactive')}
          </Tag>
        ),
    },
    {
      title: t('qi.updatedAt'),
      dataIndex: 'updatedAt',
      width: 170,
      render: (_, row) => formatDateTime(row.updatedAt),
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 160,
            render: (_: unknown, row: QueryInterface) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => setEditing(row)}
                  data-testid={`qi-edit-${row.id}`}
                >
                  {t('common.edit')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  onClick={() => setTesting(row)}
                  data-testid={`qi-test-${row.id}`}
                >
                  {t('qi.test')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const datasets = state.status === 'ready' ? state.value.datasets : [];
  return (
    <>
      <ProTable<QueryInterface>
        rowKey="id"
        headerTitle={t('qi.title')}
        columns={columns}
        dataSource={state.status === 'ready' ? state.value.items : []}
        loading={state.status === 'loading'}
        search={false}
        pagination={false}
        locale={{ emptyText: t('qi.empty') }}
        options={{ reload: () => void reload(), density: false, setting: false }}
        toolBarRender={() =>
          manage
            ? [
                <Button
                  key="new"
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setEditing('new')}
                  data-testid="qi-create"
                >
                  {t('qi.create')}
                </Button>,
              ]
            : []
        }
        tableExtraRender={() => (
          <Flex vertical gap={8}>
            <Alert type="info" showIcon message={manage ? t('qi.hintAdmin') : t('qi.hintReadOnly')} />
            {state.status === 'failed' && (
              <Alert type="error" showIcon message={describeError(state.error, t)} />
            )}
          </Flex>
        )}
      />
      {editing !== null && (
        <EditModal
          row={editing === 'new' ? null : editing}
          datasets={datasets}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
      {testing && <TestModal row={testing} onClose={() => setTesting(null)} />}
    </>
  );
}
