import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../i18n';

export function LanguageToggle({ dark = false }: { dark?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      data-testid="lang-toggle"
      title={t('lang.toggleTitle')}
      style={dark ? { color: 'rgba(255,255,255,0.85)' } : undefined}
      onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      {t('lang.switchTo')}
    </Button>
  );
}
