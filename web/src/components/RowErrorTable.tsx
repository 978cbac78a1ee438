import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import type { RowError } from '../api/types';
import { useI18n } from '../i18n';
import { withTestId } from '../utils/testId';

type KeyedError = RowError & { key: number };

/** Every row error of an upload (行号, 列名, 错误代码, 说明), paged on the client. */
export function RowErrorTable({ errors, testId }: { errors: readonly RowError[]; testId?: string }) {
  const { t } = useI18n();
  const rows = useMemo(() => errors.map((error, index) => ({ ...error, key: index })), [errors]);
  const columns: ColumnsType<KeyedError> = [
    {
      title: t('upload.errorRow'),
      dataIndex: 'row',
      width: 90,
      sorter: (a, b) => a.row - b.row,
    },
    { title: t('upload.errorColumn'), dataIndex: 'column', width: 160 },
    {
      title: t('upload.errorCode'),
      dataIndex: 'code',
      width: 200,
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    { title: t('upload.errorMessage'), dataIndex: 'message' },
  ];
  return (
    <Table<KeyedError>
      size="small"
      rowKey="key"
      columns={columns}
      dataSource={rows}
      data-testid={testId}
      onRow={(error) => withTestId(`row-error-${error.row}`, {})}
      pagination={{
        defaultPageSize: 20,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 500],
        showTotal: (total) => t('upload.errorsTotal', { total }),
      }}
    />
  );
}
