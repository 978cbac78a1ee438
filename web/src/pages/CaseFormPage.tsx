import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ITEM_ASSETS } from '../api/assessments';
import { submitCase } from '../api/cases';
import { ASSISTANCE_TYPES, type AssistanceType } from '../api/policy';
import { type FieldError, validationErrors } from '../api/validation';
import { useMe } from '../auth/session';
import { canSubmitCases } from '../domain/access';
import { DISCREPANCY_CATEGORY_LABEL } from '../domain/assessment';
import { ASSISTANCE_TYPE_LABEL } from '../domain/policy';
import { yuanToFen } from '../domain/yuan';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { withTestId } from '../utils/testId';
import {
  EMPTY_MEMBER,
  type FormValues,
  MemberCard,
  RELATIONS,
  showServerErrors,
  toRequest,
} from './AssessmentFormPage';
import { ForbiddenPage } from './ResultPages';

/**
 * 提交委托 (Q§14): the requester enters the assistance type and every member of the household, with what the
 * family declared; the papers are uploaded on the case page. The members' fields are the verification form's.
 */
export function CaseFormPage() {
  return canSubmitCases(useMe().roles) ? <CaseForm /> : <ForbiddenPage />;
}

function CaseForm() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);

  const yuanRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (value === undefined || value.trim() === '') return;
      if (yuanToFen(value) === null) throw new Error(t('assessment.form.yuanInvalid'));
    },
  };

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setFailure(null);
    setErrors([]);
    try {
      // The case is numbered by the server and lies in the requester's region: neither is entered here.
      const request = toRequest({ ...values, caseRef: 'PENDING', regionCode: '' });
      const kase = await submitCase({
        assistanceType: request.assistanceType,
        members: request.members,
        ...(request.declaredAssets ? { declaredAssets: request.declaredAssets } : {}),
      });
      message.success(t('case.form.done'));
      navigate(`/cases/${kase.id}`);
    } catch (error) {
      if (isSessionExpired(error)) return;
      const fieldErrors = validationErrors(error);
      setErrors(fieldErrors);
      showServerErrors(form, fieldErrors);
      setFailure(describeError(error, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-form-page">
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('case.form.title')}
        </Typography.Title>
        <Button onClick={() => navigate('/cases')}>{t('case.backToList')}</Button>
      </Flex>
      <Alert type="info" showIcon message={t('case.form.hint')} />
      {failure && (
        <Alert
          type="error"
          showIcon
          message={failure}
          data-testid="case-form-error"
          description={
            errors.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="case-form-errors">
                {errors.map((error, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the server's list has no ids and does not change order
                  <li key={index}>
                    {error.path.length > 0 && <Typography.Text code>{error.path.join('.')}</Typography.Text>}{' '}
                    {error.message}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}
      <datalist id="assessment-relations">
        {RELATIONS.map((relation) => (
          <option key={relation} value={relation} />
        ))}
      </datalist>
      <Form<FormValues>
        form={form}
        layout="vertical"
        data-testid="case-form"
        initialValues={{
          assistanceType: 'subsistence_allowance',
          members: [{ ...EMPTY_MEMBER, relation: '本人' }],
        }}
      >
        <Card size="small">
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item
                name="assistanceType"
                label={t('case.assistanceType')}
                rules={[{ required: true, message: t('assessment.form.typeRequired') }]}
              >
                <Select<AssistanceType>
                  options={ASSISTANCE_TYPES.map((type) => ({
                    value: type,
                    label: t(ASSISTANCE_TYPE_LABEL[type]),
                  }))}
                  data-testid="case-type"
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('assessment.form.members')} size="small" style={{ marginTop: 16 }}>
          <Form.List name="members">
            {(fields, { add, remove }) => (
              <Flex vertical gap={12}>
                {fields.map((field) => (
                  <MemberCard
                    key={field.key}
                    index={field.name}
                    removable={fields.length > 1}
                    remove={() => remove(field.name)}
                  />
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ ...EMPTY_MEMBER })}
                  disabled={fields.length >= 30}
                  data-testid="member-add"
                >
                  {t('assessment.form.addMember')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Card>

        <Card title={t('assessment.form.declaredAssets')} size="small" style={{ marginTop: 16 }}>
          <Typography.Paragraph type="secondary">
            {t('assessment.form.declaredAssetsHint')}
          </Typography.Paragraph>
          <Row gutter={16}>
            <Col span={6}>
              <Form.Item
                name={['assets', 'deposits']}
                label={t('assessment.category.deposits')}
                rules={[yuanRule]}
              >
                <Input
                  suffix={t('assessment.yuan')}
                  inputMode="decimal"
                  placeholder="0.00"
                  data-testid="assets-deposits"
                />
              </Form.Item>
            </Col>
            {ITEM_ASSETS.map((kind) => (
              <Col span={6} key={kind}>
                <Form.Item
                  name={['assets', kind, 'count']}
                  label={t('assessment.form.itemCount', { kind: t(DISCREPANCY_CATEGORY_LABEL[kind]) })}
                >
                  <InputNumber<number>
                    min={0}
                    precision={0}
                    style={{ width: '100%' }}
                    {...withTestId(`assets-${kind}-count`, {})}
                  />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Card>

        <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
          <Button onClick={() => navigate('/cases')}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="case-submit">
            {t('case.form.submit')}
          </Button>
        </Flex>
      </Form>
    </Space>
  );
}
