import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Drawer, Empty, Flex, Space, Spin, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import {
  getPolicyProfile,
  type PolicyProfileDetail,
  type PolicyVersion,
  TOLERANCE_CATEGORIES,
} from '../api/policy';
import { ASSISTANCE_TYPE_LABEL, TOLERANCE_LABEL } from '../domain/policy';
import { formatYuan } from '../domain/yuan';
import { useAsync } from '../hooks/useAsync';
import { describeError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDate, formatDateTime } from '../utils/datetime';

/** What changed from the previous version, field by field, so a reviewer sees the edit at a glance. */
function changedFields(version: PolicyVersion, previous: PolicyVersion | undefined): Set<string> {
  const changed = new Set<string>();
  if (!previous) return changed;
  if (version.windowMonths !== previous.windowMonths) changed.add('windowMonths');
  if (version.seriousMultiple !== previous.seriousMultiple) changed.add('seriousMultiple');
  if (version.exemptSubsidyItems.join('\u0000') !== previous.exemptSubsidyItems.join('\u0000'))
    changed.add('exemptSubsidyItems');
  for (const category of TOLERANCE_CATEGORIES)
    if (version.tolerances[category] !== previous.tolerances[category]) changed.add(`tolerances.${category}`);
  return changed;
}

function VersionCard({
  version,
  previous,
  newest,
}: {
  version: PolicyVersion;
  previous: PolicyVersion | undefined;
  newest: boolean;
}) {
  const { t } = useI18n();
  const changed = changedFields(version, previous);
  const mark = (field: string) =>
    changed.has(field) ? (
      <Tag
        color="orange"
        style={{ marginInlineStart: 8 }}
        data-testid={`policy-changed-${version.version}-${field}`}
      >
        {t('policy.changed')}
      </Tag>
    ) : null;

  return (
    <Card
      size="small"
      data-testid={`policy-version-${version.version}`}
      title={
        <Space wrap>
          <Typography.Text strong>{t('policy.versionN', { n: version.version })}</Typography.Text>
          <Typography.Text code data-testid={`policy-version-label-${version.version}`}>
            {version.label}
          </Typography.Text>
          {newest && <Tag color="blue">{t('policy.newest')}</Tag>}
        </Space>
      }
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <LockOutlined /> {t('policy.immutable')}
        </Typography.Text>
      }
    >
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('policy.effectiveFrom')}>
          <span data-testid={`policy-version-effective-${version.version}`}>
            {formatDate(version.effectiveFrom)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('policy.windowMonths')}>
          <span data-testid={`policy-version-window-${version.version}`}>{version.windowMonths}</span>
          {mark('windowMonths')}
        </Descriptions.Item>
        <Descriptions.Item label={t('policy.exemptSubsidyItems')} span={2}>
          <span data-testid={`policy-version-exempt-${version.version}`}>
            {version.exemptSubsidyItems.length === 0
              ? t('policy.noExemptItems')
              : version.exemptSubsidyItems.map((item) => <Tag key={item}>{item}</Tag>)}
          </span>
          {mark('exemptSubsidyItems')}
        </Descriptions.Item>
        {TOLERANCE_CATEGORIES.map((category) => (
          <Descriptions.Item
            key={category}
            label={t('policy.toleranceOf', { category: t(TOLERANCE_LABEL[category]) })}
          >
            <span data-testid={`policy-version-tolerance-${version.version}-${category}`}>
              {t('policy.yuanAmount', { amount: formatYuan(version.tolerances[category]) })}
            </span>
            {mark(`tolerances.${category}`)}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('policy.seriousMultiple')}>
          <span data-testid={`policy-version-serious-${version.version}`}>
            {t('policy.multipleValue', { n: version.seriousMultiple })}
          </span>
          {mark('seriousMultiple')}
        </Descriptions.Item>
        <Descriptions.Item label={t('policy.publishedLabel')}>
          {t('policy.publishedByAt', {
            name: version.publishedByName ?? EMPTY,
            time: formatDateTime(version.publishedAt),
          })}
        </Descriptions.Item>
        <Descriptions.Item label={t('policy.notes')} span={2}>
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
            {version.notes || EMPTY}
          </Typography.Paragraph>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

export interface PolicyProfileDrawerProps {
  profileId: number;
  regionName: (code: string) => string;
  /** Whether the user may publish a version (reviewers). */
  canPublish: boolean;
  /** Bumped by the page after a publication, so the drawer reloads. */
  revision: number;
  onPublish: (detail: PolicyProfileDetail) => void;
  onClose: () => void;
}

/** Every published version of one profile, oldest first; none can be edited, only followed by a new one. */
export function PolicyProfileDrawer({
  profileId,
  regionName,
  canPublish,
  revision,
  onPublish,
  onClose,
}: PolicyProfileDrawerProps) {
  const { t } = useI18n();
  // `revision` is part of the loader so a publication elsewhere on the page reloads the versions.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  const load = useCallback(() => getPolicyProfile(profileId), [profileId, revision]);
  const { state } = useAsync(load);
  const profile = state.status === 'ready' ? state.value : null;
  const versions = profile?.versions ?? [];

  return (
    <Drawer
      open
      width={860}
      title={
        profile
          ? t('policy.detailTitle', {
              region: regionName(profile.regionCode),
              type: t(ASSISTANCE_TYPE_LABEL[profile.assistanceType]),
            })
          : t('policy.detailLoading')
      }
      onClose={onClose}
      data-testid="policy-drawer"
      extra={
        profile &&
        canPublish && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => onPublish(profile)}
            data-testid="policy-drawer-publish"
          >
            {t('policy.publish')}
          </Button>
        )
      }
    >
      <div data-testid="policy-drawer-body">
        {state.status === 'loading' && (
          <Flex justify="center" style={{ padding: 48 }}>
            <Spin />
          </Flex>
        )}
        {state.status === 'failed' && (
          <Alert
            type="error"
            showIcon
            message={describeError(state.error, t)}
            data-testid="policy-drawer-failed"
          />
        )}
        {profile && (
          <Flex vertical gap={16}>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('policy.region')}>
                {regionName(profile.regionCode)}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {profile.regionCode}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('policy.assistanceType')}>
                {t(ASSISTANCE_TYPE_LABEL[profile.assistanceType])}
              </Descriptions.Item>
              <Descriptions.Item label={t('policy.createdAt')}>
                {formatDateTime(profile.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('policy.versionCount')}>{versions.length}</Descriptions.Item>
            </Descriptions>
            <Alert type="info" showIcon message={t('policy.immutableHint')} />
            {versions.length === 0 ? (
              <Empty
                description={canPublish ? t('policy.noVersionsPublish') : t('policy.noVersions')}
                data-testid="policy-no-versions"
              />
            ) : (
              versions.map((version, index) => (
                <VersionCard
                  key={version.version}
                  version={version}
                  previous={versions[index - 1]}
                  newest={index === versions.length - 1}
                />
              ))
            )}
          </Flex>
        )}
      </div>
    </Drawer>
  );
}
