import { Alert, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { type ImportedYear, type ImportIssue, parseCalendarJson } from '../domain/calendar-import';
import { type I18n, useI18n } from '../i18n';
import { withTestId } from '../utils/testId';

const EXAMPLE =
  '[{"date":"2026-01-01","kind":"holiday","name":"元旦"},{"date":"2026-01-04","kind":"workday","name":"元旦调休"}]';

function issueText(issue: ImportIssue, t: I18n['t']): string {
  const text = t(`calendarImport.${issue.problem}`);
  return issue.index === undefined ? text : t('calendarImport.atEntry', { n: issue.index + 1, text });
}

interface Props {
  open: boolean;
  onClose: () => void;
  onImport: (value: ImportedYear) => void;
}

export function CalendarImportModal({ open, onClose, onImport }: Props) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [issues, setIssues] = useState<ImportIssue[]>([]);

  const apply = () => {
    const result = parseCalendarJson(text);
    if (!result.ok) {
      setIssues(result.issues);
      return;
    }
    setIssues([]);
    setText('');
    onImport(result.value);
  };

  return (
    <Modal
      open={open}
      title={t('calendarImport.title')}
      width={640}
      okText={t('calendarImport.apply')}
      okButtonProps={withTestId('calendar-import-apply', { disabled: !text.trim() })}
      onOk={apply}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('calendarImport.help')}</Typography.Paragraph>
      <Input.TextArea
        value={text}
        onChange={(event) => setText(event.target.value)}
        autoSize={{ minRows: 8, maxRows: 20 }}
        placeholder={EXAMPLE}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
        data-testid="calendar-import-json"
      />
      {issues.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          message={t('calendarImport.failed')}
          data-testid="calendar-import-errors"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {issues.slice(0, 20).map((issue) => (
                <li key={`${issue.problem}-${issue.index ?? 'all'}`}>{issueText(issue, t)}</li>
              ))}
            </ul>
          }
        />
      )}
    </Modal>
  );
}
