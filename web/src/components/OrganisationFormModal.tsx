import {
  ModalForm,
  ProForm,
  ProFormDependency,
  ProFormSelect,
  ProFormText,
} from '@ant-design/pro-components';
import { App, Descriptions, TreeSelect } from 'antd';
import { createOrganisation, updateOrganisation } from '../api/organisations';
import { ORG_KINDS, type Organisation, type OrgKind } from '../api/types';
import type { OrganisationNode } from '../domain/organisation-tree';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { withTestId } from '../utils/testId';
import { RegionTreeSelect } from './RegionTreeSelect';
import { OrgKindTag } from './RoleTags';

export type OrganisationEditor =
  | { mode: 'create'; parentId?: number }
  | { mode: 'edit'; organisation: Organisation };

interface OrganisationFormValues {
  name: string;
  kind: OrgKind;
  regionCode: string;
  parentId?: number;
  departmentCode?: string;
}

interface ParentOption {
  value: number;
  title: string;
  children?: ParentOption[];
}

function toParentOptions(nodes: readonly OrganisationNode[]): ParentOption[] {
  return nodes.map((node) => ({
    value: node.id,
    title: node.name,
    children: node.children ? toParentOptions(node.children) : undefined,
  }));
}

interface Props {
  editor: OrganisationEditor;
  tree: readonly OrganisationNode[];
  organisations: readonly Organisation[];
  onClose: () => void;
  onSaved: () => void;
}

export function OrganisationFormModal({ editor, tree, organisations, onClose, onSaved }: Props) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const editing = editor.mode === 'edit' ? editor.organisation : null;
  const parentName = (id: number | null) => organisations.find((item) => item.id === id)?.name ?? '—';

  const submit = async (values: OrganisationFormValues): Promise<boolean> => {
    try {
      if (editing) {
        await updateOrganisation(editing.id, { name: values.name.trim() });
      } else {
        const departmentCode = values.kind === 'department' ? values.departmentCode?.trim() : undefined;
        await createOrganisation({
          name: values.name.trim(),
          kind: values.kind,
          regionCode: values.regionCode,
          parentId: values.parentId,
          departmentCode: departmentCode || undefined,
        });
      }
    } catch (error) {
      notifyError(error);
      return false;
    }
    message.success(t(editing ? 'organisation.updated' : 'organisation.created'));
    onSaved();
    return true;
  };

  return (
    <ModalForm<OrganisationFormValues>
      open
      title={t(editing ? 'organisation.editTitle' : 'organisation.createTitle')}
      width={560}
      layout="vertical"
      initialValues={
        editing
          ? { name: editing.name }
          : { parentId: editor.mode === 'create' ? editor.parentId : undefined }
      }
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      submitter={{ submitButtonProps: withTestId('org-submit', {}) }}
      onFinish={submit}
    >
      <ProFormText
        name="name"
        label={t('organisation.name')}
        rules={[{ required: true, whitespace: true, message: t('organisation.nameRequired') }]}
        fieldProps={withTestId('org-name', { maxLength: 100 })}
      />
      {editing ? (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('organisation.kind')}>
            <OrgKindTag kind={editing.kind} />
          </Descriptions.Item>
          <Descriptions.Item label={t('organisation.region')}>
            {editing.regionName} ({editing.regionCode})
          </Descriptions.Item>
          <Descriptions.Item label={t('organisation.parent')}>
            {parentName(editing.parentId)}
          </Descriptions.Item>
          {editing.departmentCode && (
            <Descriptions.Item label={t('organisation.departmentCode')}>
              {editing.departmentCode}
            </Descriptions.Item>
          )}
        </Descriptions>
      ) : (
        <>
          <ProFormSelect
            name="kind"
            label={t('organisation.kind')}
            rules={[{ required: true, message: t('organisation.kindRequired') }]}
            options={ORG_KINDS.map((kind) => ({ value: kind, label: label('orgKind', kind) }))}
            fieldProps={withTestId('org-kind', {})}
          />
          <ProForm.Item
            name="regionCode"
            label={t('organisation.region')}
            rules={[{ required: true, message: t('organisation.regionRequired') }]}
          >
            <RegionTreeSelect />
          </ProForm.Item>
          <ProForm.Item name="parentId" label={t('organisation.parent')} extra={t('organisation.parentHint')}>
            <TreeSelect
              allowClear
              showSearch
              treeDefaultExpandAll
              treeNodeFilterProp="title"
              treeData={toParentOptions(tree)}
              placeholder={t('organisation.parentPlaceholder')}
              data-testid="org-parent"
            />
          </ProForm.Item>
          <ProFormDependency name={['kind']}>
            {({ kind }: Partial<OrganisationFormValues>) =>
              kind === 'department' && (
                <ProFormText
                  name="departmentCode"
                  label={t('organisation.departmentCode')}
                  extra={t('organisation.departmentCodeHint')}
                  fieldProps={withTestId('org-department-code', { maxLength: 50 })}
                />
              )
            }
          </ProFormDependency>
        </>
      )}
    </ModalForm>
  );
}
