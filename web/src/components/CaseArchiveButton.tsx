import { FileZipOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useExportRequest } from '../hooks/useExportRequest';
import { useI18n } from '../i18n';

interface Props {
  caseId: number;
  caseNumber: string;
}

/**
 * Asks for the case's archive (ZIP of every step, document, paper and result); once another reviewer approves,
 * it downloads once from 导出审批. The server decides who may: the work group, the agency's reviewers and the
 * requester; anyone else sees the refusal it answers.
 */
export function CaseArchiveButton({ caseId, caseNumber }: Props) {
  const { t } = useI18n();
  const askExport = useExportRequest();
  // The archive names the whole family: a bulk export, asked for and approved first (issue #8 item 4).
  const download = () => askExport({ kind: 'case_archive', caseId }, caseNumber);

  return (
    <Tooltip title={t('case.archive.hint')}>
      <Button icon={<FileZipOutlined />} onClick={download} data-testid="case-archive-export">
        {t('case.archive.export')}
      </Button>
    </Tooltip>
  );
}
