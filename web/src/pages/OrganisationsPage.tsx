import { PlusOutlined } from '@ant-design/icons';
import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Input, Space, Switch, Typography } from 'antd';
import { type Key, useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { listOrganisations, updateOrganisation } from '../api/organisations';
import type { Organisation } from '../api/types';
import { type OrganisationEditor, OrganisationFormModal } from '../components/OrganisationFormModal';
import { OrgKindTag } from '../components/RoleTags';
import { branchIds, buildOrganisationTree, type OrganisationNode } from '../domain/organisation-tree';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY } from '../utils/datetime';

function matches(organisation: Organisation, keyword: string): boolean {
  const needle = keyword.trim().toLowerCase();
  return [
    organisation.name,
    organisation.regionName,
    organisation.regionCode,
    organisation.departmentCode ?? '',
  ].some((text) => text.toLowerCase().includes(needle));
}

export function OrganisationsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [items, setItems] = useState<Organisation[]>([]);
  const [loading, setLoading] = useState(true);
  const [keyword, setKeyword] = useState('');
  const [expanded, setExpanded] = useState<readonly Key[] | null>(null);
  const [editor, setEditor] = useState<OrganisationEditor | null>(null);
  const [toggling, setToggling] = useState<number | null>(null);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setItems(await listOrganisations());
    } catch (error) {
      notifyError(error);
    } finally {
      setLoading(false);
    }
  }, [notifyError]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const tree = useMemo(() => buildOrganisationTree(items), [items]);
  const rows: OrganisationNode[] = keyword.trim() ? items.filter((item) => matches(item, keyword)) : tree;

  const setActive = async (organisation: Organisation, active: boolean) => {
    setToggling(organisation.id);
    try {
      const updated = await updateOrganisation(organisation.id, { active });
      setItems((previous) => previous.map((item) => (item.id === updated.id ? updated : item)));
      message.success(t(active ? 'organisation.enabled' : 'organisation.disabled'));
    } catch (error) {
      notifyError(error);
    } finally {
      setToggling(null);
    }
  };

  const columns: ProColumns<OrganisationNode>[] = [
    {
      title: t('organisation.name'),
      dataIndex: 'name',
      render: (_, row) => (
        <Typography.Text strong={row.parentId === null} data-testid={`org-row-${row.id}`}>
          {row.name}
        </Typography.Text>
      ),
    },
    {
      title: t('organisation.kind'),
      dataIndex: 'kind',
      width: 120,
      render: (_, row) => <OrgKindTag kind={row.kind} />,
    },
    {
      title: t('organisation.region'),
      dataIndex: 'regionName',
      width: 190,
      render: (_, row) => (
        <span>
          {row.regionName} <Typography.Text type="secondary">({row.regionCode})</Typography.Text>
        </span>
      ),
    },
    {
      title: t('organisation.departmentCode'),
      dataIndex: 'departmentCode',
      width: 140,
      render: (_, row) => row.departmentCode ?? EMPTY,
    },
    {
      title: t('organisation.userCount'),
      dataIndex: 'userCount',
      width: 100,
      align: 'right',
      render: (_, row) => <Link to={`/admin/users?organisationId=${row.id}`}>{row.userCount}</Link>,
    },
    {
      title: t('organisation.active'),
      dataIndex: 'active',
      width: 100,
      render: (_, row) => (
        <Switch
          checked={row.active}
          loading={toggling === row.id}
          checkedChildren={t('status.active')}
          unCheckedChildren={t('status.inactive')}
          onChange={(checked) => void setActive(row, checked)}
          data-testid={`org-active-${row.id}`}
        />
      ),
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
            onClick={() => setEditor({ mode: 'edit', organisation: row })}
            data-testid={`org-edit-${row.id}`}
          >
            {t('common.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => setEditor({ mode: 'create', parentId: row.id })}
            data-testid={`org-add-child-${row.id}`}
          >
            {t('organisation.addChild')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <ProTable<OrganisationNode>
        rowKey="id"
        headerTitle={t('organisation.title')}
        columns={columns}
        dataSource={rows}
        loading={loading}
        search={false}
        pagination={false}
        options={{ reload: () => void reload(), density: false, setting: false }}
        expandable={{
          expandedRowKeys: expanded ?? branchIds(tree),
          onExpandedRowsChange: (keys) => setExpanded(keys),
        }}
        toolBarRender={() => [
          <Input.Search
            key="search"
            allowClear
            placeholder={t('organisation.searchPlaceholder')}
            onSearch={setKeyword}
            style={{ width: 260 }}
            data-testid="org-search"
          />,
          <Button
            key="create"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditor({ mode: 'create' })}
            data-testid="org-create"
          >
            {t('organisation.create')}
          </Button>,
        ]}
      />
      {editor && (
        <OrganisationFormModal
          editor={editor}
          tree={tree}
          organisations={items}
          onClose={() => setEditor(null)}
          onSaved={() => {
            setEditor(null);
            void reload();
          }}
        />
      )}
    </>
  );
}
