import {
  Alert,
  App,
  DatePicker,
  Flex,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Modal,
  Select,
  Spin,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import {
  type EnginePolicy,
  POLICY_LIMITS,
  type PolicyProfileSummary,
  type PolicyVersion,
  publishPolicyVersion,
  resolvePolicy,
  TOLERANCE_CATEGORIES,
  type ToleranceCategory,
} from '../api/policy';
import { type FieldError, validationErrors } from '../api/validation';
import { ASSISTANCE_TYPE_LABEL, policyFieldOf, TOLERANCE_LABEL } from '../domain/policy';
import { fenToYuan, yuanToFen } from '../domain/yuan';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { type I18n, useI18n } from '../i18n';
import { DATE_FORMAT, parseDate, toDateString, todayInShanghai } from '../utils/datetime';
import { withTestId } from '../utils/testId';

interface VersionValues {
  windowMonths: number;
  exemptSubsidyItems: string[];
  /** Yuan as typed, converted to fen on submit. */
  tolerances: Record<ToleranceCategory, string>;
  seriousMultiple: number;
  notes?: string;
  effectiveFrom: Dayjs;
}

type FieldName = NonNullable<Parameters<FormInstance<VersionValues>['setFields']>[0][number]['name']>;

type Prefill = Pick<EnginePolicy, 'windowMonths' | 'exemptSubsidyItems' | 'seriousMultiple' | 'toleranceFen'>;

function prefillOf(latest: PolicyVersion): Prefill {
  return {
    windowMonths: latest.windowMonths,
    exemptSubsidyItems: latest.exemptSubsidyItems,
    seriousMultiple: latest.seriousMultiple,
    toleranceFen: latest.tolerances,
  };
}

function initialValues(prefill: Prefill): VersionValues {
  const tolerances = Object.fromEntries(
    TOLERANCE_CATEGORIES.map((c) => [c, fenToYuan(prefill.toleranceFen[c] ?? 0)]),
  ) as Record<ToleranceCategory, string>;
  return {
    windowMonths: prefill.windowMonths,
    exemptSubsidyItems: [...prefill.exemptSubsidyItems],
    tolerances,
    seriousMultiple: prefill.seriousMultiple,
    notes: '',
    effectiveFrom: parseDate(todayInShanghai()),
  };
}

function fieldLabel(path: readonly (string | number)[], t: I18n['t']): string {
  const [head, next] = path;
  switch (head) {
    case 'windowMonths':
      return t('policy.windowMonths');
    case 'seriousMultiple':
      return t('policy.seriousMultiple');
    case 'notes':
      return t('policy.notes');
    case 'effectiveFrom':
      return t('policy.effectiveFrom');
    case 'exemptSubsidyItems':
      return typeof next === 'number'
        ? t('policy.exemptItemN', { n: next + 1 })
        : t('policy.exemptSubsidyItems');
    case 'tolerances': {
      const category = TOLERANCE_CATEGORIES.find((c) => c === next);
      return category
        ? t('policy.toleranceOf', { category: t(TOLERANCE_LABEL[category]) })
        : t('policy.tolerances');
    }
    default:
      return path.join('.');
  }
}

export interface PolicyVersionModalProps {
  profile: PolicyProfileSummary;
  regionName: string;
  /** The newest published version, which the form starts from; null for a profile without versions. */
  latest: PolicyVersion | null;
  onClose: () => void;
  onPublished: (version: PolicyVersion) => void;
}

/**
 * Publishes the next version of a profile. The form starts from the newest version (or, for a new profile,
 * from the policy that applies to its region today: a parent region's profile or the built-in default).
 */
export function PolicyVersionModal({
  profile,
  regionName,
  latest,
  onClose,
  onPublished,
}: PolicyVersionModalProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<VersionValues>();
  const [prefill, setPrefill] = useState<Prefill | null>(latest ? prefillOf(latest) : null);
  const [prefillSource, setPrefillSource] = useState<'latest' | 'profile' | 'default'>('latest');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (latest) return;
    let live = true;
    resolvePolicy({
      regionCode: profile.regionCode,
      assistanceType: profile.assistanceType,
      date: todayInShanghai(),
    })
      .then((resolved) => {
        if (!live) return;
        setPrefill(resolved.policy);
        setPrefillSource(resolved.source);
      })
      .catch((error: unknown) => {
        if (live) setLoadError(error);
      });
    return () => {
      live = false;
    };
  }, [latest, profile.regionCode, profile.assistanceType]);

  const initial = useMemo(() => (prefill ? initialValues(prefill) : null), [prefill]);

  const submit = async () => {
    let values: VersionValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const tolerances = {} as Record<ToleranceCategory, number>;
    for (const category of TOLERANCE_CATEGORIES) {
      const fen = yuanToFen(values.tolerances[category] ?? '');
      // The field validators have already refused anything that is not an amount.
      if (fen === null) return;
      tolerances[category] = fen;
    }
    setSaving(true);
    setServerErrors([]);
    setFailure(null);
    try {
      const version = await publishPolicyVersion(profile.id, {
        windowMonths: values.windowMonths,
        exemptSubsidyItems: values.exemptSubsidyItems.map((item) => item.trim()).filter(Boolean),
        tolerances,
        seriousMultiple: values.seriousMultiple,
        notes: values.notes?.trim() ?? '',
        effectiveFrom: toDateString(values.effectiveFrom),
      });
      message.success(t('policy.publishedDone', { label: version.label }));
      onPublished(version);
    } catch (error) {
      if (isSessionExpired(error)) return;
      const errors = error instanceof ApiError ? validationErrors(error) : [];
      if (errors.length > 0) {
        setServerErrors(errors);
        form.setFields(
          errors.flatMap((e) => {
            const name = policyFieldOf(e.path);
            // policyFieldOf answers only this form's field names; its path type cannot say so.
            return name ? [{ name: name as FieldName, errors: [e.message] }] : [];
          }),
        );
      }
      setFailure(describeError(error, t));
    } finally {
      setSaving(false);
    }
  };

  const toleranceRule = {
    validator: async (_: unknown, value: string | undefined) => {
      const fen = yuanToFen(value ?? '');
      if (fen === null) throw new Error(t('policy.toleranceInvalid'));
      if (fen > POLICY_LIMITS.toleranceFenMax)
        throw new Error(t('policy.toleranceTooLarge', { max: fenToYuan(POLICY_LIMITS.toleranceFenMax) }));
    },
  };

  return (
    <Modal
      open
      width={720}
      title={t('policy.publishTitle', {
        region: regionName,
        type: t(ASSISTANCE_TYPE_LABEL[profile.assistanceType]),
      })}
      okText={t('policy.publishSubmit')}
      okButtonProps={withTestId('policy-version-submit', { disabled: !initial })}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
      // Above the profile's drawer, which may open after it (a new profile opens both at once).
      zIndex={1100}
    >
      <div data-testid="policy-version-modal">
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            latest
              ? t('policy.prefillLatest', { label: latest.label })
              : prefillSource === 'profile'
                ? t('policy.prefillInherited')
                : t('policy.prefillDefault')
          }
          description={t('policy.immutableHint')}
        />
        {failure && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={failure}
            data-testid="policy-version-error"
            description={
              serverErrors.length > 0 && (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {serverErrors.map((error, index) => (
                    // Errors have no identity of their own; their order is fixed for this response.
                    // biome-ignore lint/suspicious/noArrayIndexKey: see above
                    <li key={index}>
                      {fieldLabel(error.path, t)}：{error.message}
                    </li>
                  ))}
                </ul>
              )
            }
          />
        )}
        {loadError !== null && <Alert type="error" showIcon message={describeError(loadError, t)} />}
        {!initial && loadError === null && (
          <Flex justify="center" style={{ padding: 32 }}>
            <Spin />
          </Flex>
        )}
        {initial && (
          <Form<VersionValues> form={form} layout="vertical" initialValues={initial} requiredMark>
            <Flex gap={16} wrap>
              <Form.Item
                name="effectiveFrom"
                label={t('policy.effectiveFrom')}
                extra={t('policy.effectiveFromHint')}
                style={{ flex: '1 1 200px' }}
                rules={[{ required: true, message: t('policy.effectiveFromRequired') }]}
              >
                <DatePicker
                  format={DATE_FORMAT}
                  style={{ width: '100%' }}
                  allowClear={false}
                  data-testid="policy-effective-from"
                />
              </Form.Item>
              <Form.Item
                name="windowMonths"
                label={t('policy.windowMonths')}
                extra={t('policy.windowMonthsHint', POLICY_LIMITS.windowMonths)}
                style={{ flex: '1 1 200px' }}
                rules={[
                  { required: true, message: t('policy.windowMonthsRequired', POLICY_LIMITS.windowMonths) },
                  {
                    type: 'integer',
                    min: POLICY_LIMITS.windowMonths.min,
                    max: POLICY_LIMITS.windowMonths.max,
                    message: t('policy.windowMonthsRequired', POLICY_LIMITS.windowMonths),
                  },
                ]}
              >
                <InputNumber
                  min={POLICY_LIMITS.windowMonths.min}
                  max={POLICY_LIMITS.windowMonths.max}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="policy-window-months"
                />
              </Form.Item>
              <Form.Item
                name="seriousMultiple"
                label={t('policy.seriousMultiple')}
                extra={t('policy.seriousMultipleHint')}
                style={{ flex: '1 1 200px' }}
                rules={[
                  {
                    required: true,
                    message: t('policy.seriousMultipleRequired', POLICY_LIMITS.seriousMultiple),
                  },
                  {
                    type: 'number',
                    min: POLICY_LIMITS.seriousMultiple.min,
                    max: POLICY_LIMITS.seriousMultiple.max,
                    message: t('policy.seriousMultipleRequired', POLICY_LIMITS.seriousMultiple),
                  },
                ]}
              >
                <InputNumber
                  min={POLICY_LIMITS.seriousMultiple.min}
                  max={POLICY_LIMITS.seriousMultiple.max}
                  step={1}
                  style={{ width: '100%' }}
                  data-testid="policy-serious-multiple"
                />
              </Form.Item>
            </Flex>
            <Form.Item
              name="exemptSubsidyItems"
              label={t('policy.exemptSubsidyItems')}
              extra={t('policy.exemptSubsidyItemsHint')}
              rules={[
                {
                  validator: async (_, value: string[] | undefined) => {
                    const items = value ?? [];
                    if (items.length > POLICY_LIMITS.exemptItems)
                      throw new Error(t('policy.exemptTooMany', { max: POLICY_LIMITS.exemptItems }));
                    if (items.some((item) => item.trim().length > POLICY_LIMITS.exemptItemLength))
                      throw new Error(t('policy.exemptTooLong', { max: POLICY_LIMITS.exemptItemLength }));
                  },
                },
              ]}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', '，', '、', ';', '；']}
                placeholder={t('policy.exemptSubsidyItemsPlaceholder')}
                data-testid="policy-exempt-items"
              />
            </Form.Item>
            <Typography.Text strong>{t('policy.tolerances')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('policy.tolerancesHint')}
            </Typography.Paragraph>
            <Flex gap={16} wrap>
              {TOLERANCE_CATEGORIES.map((category) => (
                <Form.Item
                  key={category}
                  name={['tolerances', category]}
                  label={t(TOLERANCE_LABEL[category])}
                  style={{ flex: '1 1 200px' }}
                  rules={[{ required: true, message: t('policy.toleranceInvalid') }, toleranceRule]}
                >
                  <Input
                    inputMode="decimal"
                    addonAfter={t('policy.yuan')}
                    data-testid={`policy-tolerance-${category}`}
                  />
                </Form.Item>
              ))}
            </Flex>
            <Form.Item name="notes" label={t('policy.notes')} extra={t('policy.notesHint')}>
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 6 }}
                maxLength={POLICY_LIMITS.notesLength}
                showCount
                data-testid="policy-notes"
              />
            </Form.Item>
          </Form>
        )}
      </div>
    </Modal>
  );
}
