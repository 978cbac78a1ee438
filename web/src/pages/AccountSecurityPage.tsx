import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  fetchSecondFactorStatus,
  myLogins,
  regenerateRecoveryCodes,
  type SecondFactorStatus,
} from '../api/account-security';
import { LoginLogTable } from '../components/LoginLogTable';
import { EnrolStep, RecoveryCodes } from '../components/LoginSteps';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

/** 账户安全: the user's second factor (status, enrolment, new recovery codes) and 登录记录. */
export function AccountSecurityPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<SecondFactorStatus | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => {
    fetchSecondFactorStatus().then(setStatus, notifyError);
  }, [notifyError]);
  useEffect(refresh, [refresh]);

  const regenerate = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      setCodes(await regenerateRecoveryCodes(code.trim()));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageContainer title={t('account.title')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('mfa.statusTitle')} data-testid="account-second-factor">
          {codes ? (
            <RecoveryCodes
              codes={codes}
              onContinue={() => {
                setCodes(null);
                refresh();
              }}
            />
          ) : enrolling ? (
            <div style={{ maxWidth: 420 }}>
              <EnrolStep
                onDone={({ recoveryCodes }) => {
                  setEnrolling(false);
                  setCodes(recoveryCodes);
                  message.success(t('mfa.enrolledDone'));
                }}
              />
            </div>
          ) : status ? (
            <Space direction="vertical">
              {status.enrolled ? (
                <Tag color="success" data-testid="account-mfa-enrolled">
                  {t('mfa.enrolled', {
                    time: formatDateTime(status.enrolledAt),
                    count: status.recoveryCodesLeft,
                  })}
                </Tag>
              ) : (
                <Tag color="default">{t('mfa.notEnrolled')}</Tag>
              )}
              {status.required && <Typography.Text type="secondary">{t('mfa.required')}</Typography.Text>}
              {!status.enrolled && (
                <Button type="primary" onClick={() => setEnrolling(true)} data-testid="account-mfa-start">
                  {t('mfa.start')}
                </Button>
              )}
              {status.enrolled && (
                <Form<{ code: string }> layout="inline" onFinish={regenerate}>
                  <Form.Item
                    name="code"
                    rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('mfa.codeRequired') }]}
                  >
                    <Input placeholder={t('mfa.firstCode')} maxLength={6} inputMode="numeric" />
                  </Form.Item>
                  <Button htmlType="submit" loading={busy}>
                    {t('mfa.regenerate')}
                  </Button>
                </Form>
              )}
              {status.enrolled && <Alert type="info" showIcon message={t('mfa.lostDevice')} />}
            </Space>
          ) : null}
        </Card>
        <Card title={t('account.logins')}>
          <Typography.Paragraph type="secondary">{t('account.loginsIntro')}</Typography.Paragraph>
          <LoginLogTable load={myLogins} testId="account-logins" />
        </Card>
      </Space>
    </PageContainer>
  );
}
