import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { changePassword } from '../api/auth';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { withTestId } from '../utils/testId';
import { confirmPasswordRule } from './passwordRules';

interface ChangePasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<ChangePasswordValues>();
  const [saving, setSaving] = useState(false);

  const submit = async (values: ChangePasswordValues) => {
    setSaving(true);
    try {
      await changePassword(values.currentPassword, values.newPassword);
      message.success(t('password.changed'));
      onClose();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={t('password.title')}
      open={open}
      width={440}
      destroyOnHidden
      confirmLoading={saving}
      okText={t('common.save')}
      okButtonProps={withTestId('password-submit', {})}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form<ChangePasswordValues> form={form} layout="vertical" preserve={false} onFinish={submit}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('password.currentRequired') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.policyHint')}
          rules={[{ required: true, message: t('password.newRequired') }]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            confirmPasswordRule('newPassword', t),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
