import { AimOutlined, PlusOutlined } from '@ant-design/icons';
import { type ProColumns, ProTable } from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  ASSISTANCE_TYPES,
  type AssistanceType,
  createPolicyProfile,
  listPolicyProfiles,
  type PolicyProfileListItem,
  type PolicyProfileSummary,
  type PolicyVersion,
  type ResolvedPolicy,
  resolvePolicy,
  TOLERANCE_CATEGORIES,
} from '../api/policy';
import { listRegions } from '../api/regions';
import { useMe } from '../auth/session';
import { PolicyProfileDrawer } from '../components/PolicyProfileDrawer';
import { PolicyVersionModal } from '../components/PolicyVersionModal';
import { RegionTreeSelect } from '../components/RegionTreeSelect';
import { canPublishPolicy } from '../domain/access';
import { ASSISTANCE_TYPE_LABEL, parentRegionCode, TOLERANCE_LABEL } from '../domain/policy';
import { formatYuan } from '../domain/yuan';
import { useAsync } from '../hooks/useAsync';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import {
  DATE_FORMAT,
  EMPTY,
  formatDate,
  formatDateTime,
  parseDate,
  toDateString,
  todayInShanghai,
} from '../utils/datetime';
import { withTestId } from '../utils/testId';

/**
 * Region names for the codes on screen. There is no look-up by code, so the names come from the children
 * lists of the codes' parents (one request per parent); a code whose parent is out of scope keeps its code.
 */
function useRegionNames(codes: readonly string[]): (code: string) => string {
  const me = useMe();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(
    () => new Map([[me.organisation.regionCode, me.organisation.regionName]]),
  );
  const [asked, setAsked] = useState<ReadonlySet<string>>(() => new Set());
  const key = [...new Set(codes)].sort().join(',');

  useEffect(() => {
    const parents = new Set<string>();
    for (const code of key ? key.split(',') : []) {
      if (names.has(code)) continue;
      const parent = parentRegionCode(code);
      if (parent && !asked.has(parent)) parents.add(parent);
    }
    if (parents.size === 0) return;
    setAsked((previous) => new Set([...previous, ...parents]));
    for (const parent of parents)
      listRegions(parent)
        .then((regions) =>
          setNames((previous) => new Map([...previous, ...regions.map((r) => [r.code, r.name] as const)])),
        )
        // A parent outside the user's scope answers OUT_OF_SCOPE: the code is then shown as it is.
        .catch(() => {});
  }, [key, names, asked]);

  return (code: string) => names.get(code) ?? code;
}

interface CreateValues {
  regionCode: string;
  assistanceType: AssistanceType;
}

function CreateProfileModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (profile: PolicyProfileSummary) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [form] = Form.useForm<CreateValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async () => {
    let values: CreateValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      const profile = await createPolicyProfile(values);
      message.success(t('policy.created'));
      onCreated(profile);
    } catch (error) {
      if (!isSessionExpired(error)) setFailure(describeError(error, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={560}
      title={t('policy.createTitle')}
      okText={t('policy.createSubmit')}
      okButtonProps={withTestId('policy-create-submit', {})}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <div data-testid="policy-create-modal">
        <Typography.Paragraph type="secondary">{t('policy.createHint')}</Typography.Paragraph>
        {failure && (
          <Alert
            type="error"
            showIcon
            message={failure}
            style={{ marginBottom: 16 }}
            data-testid="policy-create-error"
          />
        )}
        <Form<CreateValues>
          form={form}
          layout="vertical"
          initialValues={{ regionCode: me.organisation.regionCode }}
        >
          <Form.Item
            name="regionCode"
            label={t('policy.region')}
            rules={[{ required: true, message: t('policy.regionRequired') }]}
          >
            <RegionTreeSelect />
          </Form.Item>
          <Form.Item
            name="assistanceType"
            label={t('policy.assistanceType')}
            rules={[{ required: true, message: t('policy.assistanceTypeRequired') }]}
          >
            <Select<AssistanceType>
              placeholder={t('policy.assistanceTypePlaceholder')}
              options={ASSISTANCE_TYPES.map((type) => ({
                value: type,
                label: t(ASSISTANCE_TYPE_LABEL[type]),
              }))}
              data-testid="policy-create-type"
            />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}

interface ResolveValues {
  regionCode: string;
  assistanceType: AssistanceType;
  date: Dayjs;
}

/** Which profile and version applies to a region, an assistance type and a date (or the built-in default). */
function ResolveModal({
  regionName,
  onClose,
}: {
  regionName: (code: string) => string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const [form] = Form.useForm<ResolveValues>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ResolvedPolicy | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async () => {
    let values: ResolveValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      setResult(
        await resolvePolicy({
          regionCode: values.regionCode,
          assistanceType: values.assistanceType,
          date: toDateString(values.date),
        }),
      );
    } catch (error) {
      setResult(null);
      if (!isSessionExpired(error)) setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const policy = result?.policy;
  return (
    <Modal
      open
      width={720}
      title={t('policy.resolveTitle')}
      okText={t('policy.resolveSubmit')}
      okButtonProps={withTestId('policy-resolve-submit', {})}
      cancelText={t('policy.close')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <div data-testid="policy-resolve-modal">
        <Typography.Paragraph type="secondary">{t('policy.resolveHint')}</Typography.Paragraph>
        <Form<ResolveValues>
          form={form}
          layout="vertical"
          initialValues={{
            regionCode: me.organisation.regionCode,
            assistanceType: 'subsistence_allowance',
            date: parseDate(todayInShanghai()),
          }}
        >
          <Flex gap={16} wrap>
            <Form.Item
              name="regionCode"
              label={t('policy.region')}
              style={{ flex: '1 1 220px' }}
              rules={[{ required: true, message: t('policy.regionRequired') }]}
            >
              <RegionTreeSelect />
            </Form.Item>
            <Form.Item
              name="assistanceType"
              label={t('policy.assistanceType')}
              style={{ flex: '1 1 180px' }}
              rules={[{ required: true, message: t('policy.assistanceTypeRequired') }]}
            >
              <Select<AssistanceType>
                options={ASSISTANCE_TYPES.map((type) => ({
                  value: type,
                  label: t(ASSISTANCE_TYPE_LABEL[type]),
                }))}
                data-testid="policy-resolve-type"
              />
            </Form.Item>
            <Form.Item
              name="date"
              label={t('policy.resolveDate')}
              style={{ flex: '0 1 160px' }}
              rules={[{ required: true, message: t('policy.resolveDateRequired') }]}
            >
              <DatePicker
                format={DATE_FORMAT}
                allowClear={false}
                style={{ width: '100%' }}
                data-testid="policy-resolve-date"
              />
            </Form.Item>
          </Flex>
        </Form>
        {failure && <Alert type="error" showIcon message={failure} data-testid="policy-resolve-error" />}
        {result && policy && (
          <div data-testid="policy-resolve-result" data-source={result.source}>
            <Alert
              type={result.source === 'profile' ? 'success' : 'warning'}
              showIcon
              style={{ marginBottom: 12 }}
              message={
                result.source === 'profile' && result.regionCode
                  ? t('policy.resolvedProfile', {
                      region: regionName(result.regionCode),
                      code: result.regionCode,
                      n: result.version?.version ?? EMPTY,
                    })
                  : t('policy.resolvedDefault')
              }
            />
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('policy.stampLabel')} span={2}>
                <Typography.Text code data-testid="policy-resolve-label">
                  {policy.version}
                </Typography.Text>
              </Descriptions.Item>
              {result.version && (
                <Descriptions.Item label={t('policy.effectiveFrom')}>
                  {formatDate(result.version.effectiveFrom)}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('policy.windowMonths')}>
                <span data-testid="policy-resolve-window">{policy.windowMonths}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('policy.seriousMultiple')}>
                {t('policy.multipleValue', { n: policy.seriousMultiple })}
              </Descriptions.Item>
              <Descriptions.Item label={t('policy.exemptSubsidyItems')} span={2}>
                {policy.exemptSubsidyItems.length === 0
                  ? t('policy.noExemptItems')
                  : policy.exemptSubsidyItems.map((item) => <Tag key={item}>{item}</Tag>)}
              </Descriptions.Item>
              {TOLERANCE_CATEGORIES.map((category) => (
                <Descriptions.Item
                  key={category}
                  label={t('policy.toleranceOf', { category: t(TOLERANCE_LABEL[category]) })}
                >
                  {t('policy.yuanAmount', { amount: formatYuan(policy.toleranceFen[category]) })}
                </Descriptions.Item>
              ))}
            </Descriptions>
          </div>
        )}
      </div>
    </Modal>
  );
}

interface Publishing {
  profile: PolicyProfileSummary;
  latest: PolicyVersion | null;
}

export function PolicyProfilesPage() {
  const { t } = useI18n();
  const me = useMe();
  const canPublish = canPublishPolicy(me.roles);
  const { state, reload } = useAsync(listPolicyProfiles);
  const profiles = state.status === 'ready' ? state.value : [];
  const regionName = useRegionNames(useMemo(() => profiles.map((p) => p.regionCode), [profiles]));
  const [searchParams, setSearchParams] = useSearchParams();
  const openId = Number(searchParams.get('profile')) || null;
  const [creating, setCreating] = useState(false);
  const [resolving, setResolving] = useState(false);
  const [publishing, setPublishing] = useState<Publishing | null>(null);
  const [revision, setRevision] = useState(0);

  const openProfile = (id: number | null) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (id === null) next.delete('profile');
        else next.set('profile', String(id));
        return next;
      },
      { replace: id === null },
    );

  const columns: ProColumns<PolicyProfileListItem>[] = [
    {
      title: t('policy.region'),
      dataIndex: 'regionCode',
      render: (_, row) => (
        <Flex vertical>
          <Typography.Text strong>{regionName(row.regionCode)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.regionCode}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('policy.assistanceType'),
      dataIndex: 'assistanceType',
      render: (_, row) => t(ASSISTANCE_TYPE_LABEL[row.assistanceType]),
    },
    {
      title: t('policy.latestVersion'),
      dataIndex: 'latest',
      render: (_, row) =>
        row.latest ? (
          <Space size={4}>
            <Tag color="blue">{t('policy.versionN', { n: row.latest.version })}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`policy-label-${row.id}`}>
              {row.latest.label}
            </Typography.Text>
          </Space>
        ) : (
          <Tag data-testid={`policy-label-${row.id}`}>{t('policy.unpublished')}</Tag>
        ),
    },
    {
      title: t('policy.windowMonths'),
      dataIndex: ['latest', 'windowMonths'],
      width: 120,
      render: (_, row) => (
        <span data-testid={`policy-window-${row.id}`}>{row.latest?.windowMonths ?? EMPTY}</span>
      ),
    },
    {
      title: t('policy.effectiveFrom'),
      dataIndex: ['latest', 'effectiveFrom'],
      width: 130,
      render: (_, row) => (
        <span data-testid={`policy-effective-${row.id}`}>{formatDate(row.latest?.effectiveFrom)}</span>
      ),
    },
    {
      title: t('policy.publishedAt'),
      dataIndex: ['latest', 'publishedAt'],
      width: 170,
      render: (_, row) => formatDateTime(row.latest?.publishedAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 180,
      render: (_, row) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            onClick={() => openProfile(row.id)}
            data-testid={`policy-view-${row.id}`}
          >
            {t('policy.view')}
          </Button>
          {canPublish && (
            <Button
              type="link"
              size="small"
              onClick={() => setPublishing({ profile: row, latest: row.latest })}
              data-testid={`policy-publish-${row.id}`}
            >
              {t('policy.publish')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="policy-profiles">
      <ProTable<PolicyProfileListItem>
        rowKey="id"
        headerTitle={t('policy.title')}
        columns={columns}
        dataSource={profiles}
        loading={state.status === 'loading'}
        search={false}
        pagination={false}
        onRow={(row) => withTestId(`policy-row-${row.id}`, {})}
        options={{ reload: () => void reload(), density: false, setting: false }}
        locale={{ emptyText: t('policy.empty') }}
        toolBarRender={() => [
          <Button
            key="resolve"
            icon={<AimOutlined />}
            onClick={() => setResolving(true)}
            data-testid="policy-resolve-open"
          >
            {t('policy.resolve')}
          </Button>,
          ...(canPublish
            ? [
                <Button
                  key="create"
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setCreating(true)}
                  data-testid="policy-create"
                >
                  {t('policy.create')}
                </Button>,
              ]
            : []),
        ]}
        tableExtraRender={() => (
          <Flex vertical gap={8}>
            <Alert
              type="info"
              showIcon
              message={canPublish ? t('policy.hintReviewer') : t('policy.hintReadOnly')}
              data-testid="policy-hint"
            />
            {state.status === 'failed' && (
              <Alert
                type="error"
                showIcon
                message={describeError(state.error, t)}
                data-testid="policy-failed"
              />
            )}
          </Flex>
        )}
      />
      {openId !== null && (
        <PolicyProfileDrawer
          profileId={openId}
          regionName={regionName}
          canPublish={canPublish}
          revision={revision}
          onPublish={(detail) => setPublishing({ profile: detail, latest: detail.versions.at(-1) ?? null })}
          onClose={() => openProfile(null)}
        />
      )}
      {creating && (
        <CreateProfileModal
          onClose={() => setCreating(false)}
          onCreated={(profile) => {
            setCreating(false);
            void reload();
            openProfile(profile.id);
            // A new profile has no version yet: go straight on to its first one.
            setPublishing({ profile, latest: null });
          }}
        />
      )}
      {resolving && <ResolveModal regionName={regionName} onClose={() => setResolving(false)} />}
      {publishing && (
        <PolicyVersionModal
          profile={publishing.profile}
          regionName={regionName(publishing.profile.regionCode)}
          latest={publishing.latest}
          onClose={() => setPublishing(null)}
          onPublished={() => {
            setPublishing(null);
            setRevision((n) => n + 1);
            void reload();
          }}
        />
      )}
    </div>
  );
}
