import { ModalForm, ProFormDependency, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { App, Form } from 'antd';
import { type Organisation, ROLES, type Role, type User } from '../api/types';
import { createUser, resetUserPassword, updateUser } from '../api/users';
import { ROLES_BY_ORG_KIND } from '../domain/access';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { withTestId } from '../utils/testId';
import { confirmPasswordRule } from './passwordRules';

export type UserEditor =
  | { mode: 'create' }
  | { mode: 'edit'; user: User }
  | { mode: 'resetPassword'; user: User };

interface UserFormValues {
  username: string;
  displayName: string;
  organisationId?: number;
  roles: Role[];
  password: string;
  confirmPassword: string;
}

interface Props {
  editor: UserEditor;
  organisations: readonly Organisation[];
  onClose: () => void;
  onSaved: () => void;
}

/** Roles a user of the given organisation may hold; every role while no organisation is chosen. */
function allowedRoles(
  organisations: readonly Organisation[],
  organisationId: number | undefined,
): readonly Role[] {
  const organisation = organisations.find((item) => item.id === organisationId);
  return organisation ? ROLES_BY_ORG_KIND[organisation.kind] : ROLES;
}

export function UserFormModal({ editor, organisations, onClose, onSaved }: Props) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<UserFormValues>();
  const user = editor.mode === 'create' ? null : editor.user;

  const roleOptions = (organisationId: number | undefined, current: readonly Role[]) => {
    const allowed = allowedRoles(organisations, organisationId);
    // A role the user already holds stays visible so that saving never drops it silently.
    return ROLES.filter((role) => allowed.includes(role) || current.includes(role)).map((role) => ({
      value: role,
      label: label('role', role),
    }));
  };

  const submit = async (values: UserFormValues): Promise<boolean> => {
    try {
      if (editor.mode === 'create') {
        await createUser({
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          organisationId: values.organisationId ?? 0,
          roles: values.roles,
          password: values.password,
        });
      } else if (editor.mode === 'edit') {
        await updateUser(editor.user.id, { displayName: values.displayName.trim(), roles: values.roles });
      } else {
        await resetUserPassword(editor.user.id, values.password);
      }
    } catch (error) {
      notifyError(error);
      return false;
    }
    const done = {
      create: 'user.created',
      edit: 'user.updated',
      resetPassword: 'user.passwordReset',
    } as const;
    message.success(t(done[editor.mode], { name: user?.displayName ?? values.displayName }));
    onSaved();
    return true;
  };

  const titles = {
    create: 'user.createTitle',
    edit: 'user.editTitle',
    resetPassword: 'user.resetTitle',
  } as const;
  const passwordFields = (
    <>
      <ProFormText.Password
        name="password"
        label={t(editor.mode === 'create' ? 'user.initialPassword' : 'user.newPassword')}
        extra={t('password.policyHint')}
        rules={[{ required: true, message: t('password.newRequired') }]}
        fieldProps={withTestId('user-password', { autoComplete: 'new-password' })}
      />
      <ProFormText.Password
        name="confirmPassword"
        label={t('user.confirmPassword')}
        dependencies={['password']}
        rules={[
          { required: true, message: t('password.confirmRequired') },
          confirmPasswordRule('password', t),
        ]}
        fieldProps={withTestId('user-password-confirm', { autoComplete: 'new-password' })}
      />
    </>
  );

  return (
    <ModalForm<UserFormValues>
      open
      form={form}
      title={user ? `${t(titles[editor.mode])} · ${user.displayName}` : t(titles[editor.mode])}
      width={560}
      layout="vertical"
      initialValues={user ? { displayName: user.displayName, roles: user.roles } : { roles: [] }}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      onValuesChange={(changed: Partial<UserFormValues>) => {
        if (!('organisationId' in changed)) return;
        const allowed = allowedRoles(organisations, changed.organisationId);
        const roles: Role[] = form.getFieldValue('roles') ?? [];
        form.setFieldValue(
          'roles',
          roles.filter((role) => allowed.includes(role)),
        );
      }}
      submitter={{ submitButtonProps: withTestId('user-submit', {}) }}
      onFinish={submit}
    >
      {editor.mode === 'create' && (
        <>
          <ProFormText
            name="username"
            label={t('user.username')}
            extra={t('user.usernameHint')}
            rules={[{ required: true, whitespace: true, message: t('user.usernameRequired') }]}
            fieldProps={withTestId('user-username', { autoComplete: 'off', maxLength: 64 })}
          />
          <ProFormSelect
            name="organisationId"
            label={t('user.organisation')}
            rules={[{ required: true, message: t('user.organisationRequired') }]}
            options={organisations
              .filter((organisation) => organisation.active)
              .map((organisation) => ({ value: organisation.id, label: organisation.name }))}
            fieldProps={withTestId('user-organisation', { showSearch: true, optionFilterProp: 'label' })}
          />
        </>
      )}
      {editor.mode !== 'resetPassword' && (
        <>
          <ProFormText
            name="displayName"
            label={t('user.displayName')}
            rules={[{ required: true, whitespace: true, message: t('user.displayNameRequired') }]}
            fieldProps={withTestId('user-display-name', { maxLength: 64 })}
          />
          <ProFormDependency name={['organisationId']}>
            {({ organisationId }: Partial<UserFormValues>) => (
              <ProFormSelect
                name="roles"
                label={t('user.roles')}
                mode="multiple"
                rules={[{ required: true, type: 'array', min: 1, message: t('user.rolesRequired') }]}
                options={roleOptions(organisationId ?? user?.organisationId, user?.roles ?? [])}
                fieldProps={withTestId('user-roles', {})}
              />
            )}
          </ProFormDependency>
        </>
      )}
      {editor.mode !== 'edit' && passwordFields}
    </ModalForm>
  );
}
