import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { LoginStepResult } from '../api/account-security';
import { login } from '../api/auth';
import { ApiError } from '../api/client';
import { FullPageSpin } from '../auth/guards';
import { useSession } from '../auth/session';
import { LanguageToggle } from '../components/LanguageToggle';
import { EnrolStep, ExpiredPasswordStep, RecoveryCodes, SecondFactorStep } from '../components/LoginSteps';
import { describeError } from '../hooks/useNotifyError';
import { type I18n, useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

interface LoginValues {
  username: string;
  password: string;
}

function lockedUntil(details: unknown): string | null {
  if (typeof details !== 'object' || details === null || !('lockedUntil' in details)) return null;
  return typeof details.lockedUntil === 'string' ? details.lockedUntil : null;
}

function loginErrorText(error: unknown, t: I18n['t']): string {
  if (error instanceof ApiError && error.code === 'ACCOUNT_LOCKED') {
    const until = lockedUntil(error.details);
    return until ? t('login.lockedUntil', { time: formatDateTime(until) }) : t('login.locked');
  }
  return describeError(error, t);
}

function redirectTarget(state: unknown): string {
  const from: unknown = typeof state === 'object' && state !== null && 'from' in state ? state.from : null;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login') ? from : '/';
}

/** Where the login stands: the password form, a later step, or the recovery codes just issued. */
type Phase =
  | { kind: 'password' }
  | { kind: 'second_factor' }
  | { kind: 'enrol' }
  | { kind: 'password_change' }
  | { kind: 'recovery'; codes: string[]; next: LoginStepResult };

export function LoginPage() {
  const { t } = useI18n();
  const { state, signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'password' });

  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'signedIn') return <Navigate to={redirectTarget(location.state)} replace />;

  // Each step answers the next one; only `full` signs the user in.
  const advance = (result: LoginStepResult) => {
    if (result.step === 'full' && result.user) {
      signedIn(result.user);
      navigate(redirectTarget(location.state), { replace: true });
      return;
    }
    if (result.step !== 'full') setPhase({ kind: result.step });
  };

  const submit = async (values: LoginValues) => {
    setSubmitting(true);
    setError(null);
    try {
      advance(await login(values.username.trim(), values.password));
    } catch (caught) {
      setError(loginErrorText(caught, t));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{
        minHeight: '100vh',
        padding: 24,
        background: 'linear-gradient(180deg, #e8f0fb 0%, #f5f7fa 60%)',
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageToggle />
      </div>
      <Card style={{ width: 400, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <SafetyCertificateOutlined style={{ fontSize: 40, color: '#1a5fb4' }} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.fullName')}</Typography.Text>
        </Flex>
        {phase.kind === 'second_factor' && (
          <SecondFactorStep onDone={advance} onCancel={() => setPhase({ kind: 'password' })} />
        )}
        {phase.kind === 'enrol' && (
          <EnrolStep
            onDone={({ recoveryCodes, ...next }) =>
              setPhase({ kind: 'recovery', codes: recoveryCodes, next })
            }
          />
        )}
        {phase.kind === 'recovery' && (
          <RecoveryCodes codes={phase.codes} onContinue={() => advance(phase.next)} />
        )}
        {phase.kind === 'password_change' && <ExpiredPasswordStep onDone={advance} />}
        {phase.kind === 'password' && (
          <Form<LoginValues> layout="vertical" size="large" onFinish={submit} requiredMark={false}>
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            {error && (
              <Alert
                type="error"
                showIcon
                message={error}
                style={{ marginBottom: 16 }}
                data-testid="login-error"
              />
            )}
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 24, marginBottom: 0, fontSize: 12 }}>
          {t('login.notice')}
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
}
