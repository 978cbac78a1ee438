import { FileZipOutlined } from '@ant-design/icons';
import { App, Button, Tooltip } from 'antd';
import { useState } from 'react';
import { downloadCaseArchive } from '../api/cases';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';

interface Props {
  caseId: number;
  caseNumber: string;
}

/**
 * Downloads the case's archive (ZIP of every step, document, paper and result). The server decides who may:
 * the work group, the agency's reviewers and the requester; anyone else sees the refusal it answers.
 */
export function CaseArchiveButton({ caseId, caseNumber }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    try {
      const name = await downloadCaseArchive(caseId, caseNumber);
      message.success(t('case.archive.exported', { name }));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tooltip title={t('case.archive.hint')}>
      <Button icon={<FileZipOutlined />} loading={busy} onClick={download} data-testid="case-archive-export">
        {t('case.archive.export')}
      </Button>
    </Tooltip>
  );
}
