import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCNAntd from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en';
import { type MessageKey, type Messages, zhCN } from './zh-CN';

export type Locale = 'zh-CN' | 'en';
export type Vars = Record<string, string | number>;
export type LabelGroup =
  | 'role'
  | 'orgKind'
  | 'regionLevel'
  | 'auditAction'
  | 'auditOutcome'
  | 'frequency'
  | 'datasetKind'
  | 'batchStatus'
  | 'batchSource'
  | 'columnType';

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  /** Label of a code from the server (role, audit action …); unknown codes are shown as they are. */
  label: (group: LabelGroup, code: string) => string;
}

const STORAGE_KEY = 'hedui.locale';
const CATALOGS: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
const DAYJS_LOCALES: Record<Locale, string> = { 'zh-CN': 'zh-cn', en: 'en' };
const ANTD_LOCALES = { 'zh-CN': zhCNAntd, en: enUS } as const;

function readStoredLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function storeLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private browsing may forbid storage; the choice then lasts for this page only.
  }
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const initial = readStoredLocale();
    dayjs.locale(DAYJS_LOCALES[initial]);
    return initial;
  });

  const setLocale = useCallback((next: Locale) => {
    // dayjs's locale is global; switch it before React re-renders anything that formats dates.
    dayjs.locale(DAYJS_LOCALES[next]);
    storeLocale(next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = CATALOGS[locale]['app.title'];
  }, [locale]);

  const value = useMemo<I18n>(() => {
    const messages = CATALOGS[locale];
    const t = (key: MessageKey, vars?: Vars) => interpolate(messages[key], vars);
    const label = (group: LabelGroup, code: string) => {
      const key = `${group}.${code}`;
      return isMessageKey(key) ? messages[key] : code;
    };
    return { locale, setLocale, t, label };
  }, [locale, setLocale]);

  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider
        locale={ANTD_LOCALES[locale]}
        theme={{ algorithm: theme.defaultAlgorithm, token: { colorPrimary: '#1a5fb4', borderRadius: 4 } }}
      >
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside I18nProvider');
  return value;
}
