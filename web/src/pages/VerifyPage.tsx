import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { request } from '../api/client';
import { LanguageToggle } from '../components/LanguageToggle';
import { describeError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';

interface Verification {
  valid: boolean;
  documentNumber?: string;
  issuedOn?: string;
  revoked?: boolean;
}

/**
 * The public verification page (no sign-in): the code printed beside a document's QR code tells whether the
 * document was issued by the platform and is still valid — never what it says.
 */
export function VerifyPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (value: string) => {
    if (value.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await request<Verification>('/api/public/documents/verify', { query: { code: value.trim() } }),
      );
      setParams({ code: value.trim() }, { replace: true });
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: checks the code of the link once, on arrival
  useEffect(() => {
    const initial = params.get('code');
    if (initial) void check(initial);
  }, []);

  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', padding: 24 }}>
      <Card style={{ width: 480 }} data-testid="verify-page">
        <Flex justify="space-between" align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            <SafetyCertificateOutlined /> {t('verify.title')}
          </Typography.Title>
          <LanguageToggle />
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('verify.intro')}
        </Typography.Paragraph>
        <Flex gap={8}>
          <Input
            data-testid="verify-code"
            value={code}
            placeholder="XXXXX-XXXXX"
            onChange={(e) => setCode(e.target.value)}
            onPressEnter={() => void check(code)}
          />
          <Button type="primary" loading={busy} data-testid="verify-submit" onClick={() => void check(code)}>
            {t('verify.submit')}
          </Button>
        </Flex>
        {error && <Alert style={{ marginTop: 16 }} type="error" message={error} />}
        {result && (
          <Alert
            data-testid="verify-result"
            style={{ marginTop: 16 }}
            type={result.valid ? 'success' : 'error'}
            message={
              result.valid
                ? t('verify.valid', { number: result.documentNumber ?? '', date: result.issuedOn ?? '' })
                : result.revoked
                  ? t('verify.revoked', { number: result.documentNumber ?? '' })
                  : t('verify.invalid')
            }
          />
        )}
      </Card>
    </Flex>
  );
}
