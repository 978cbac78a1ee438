import { Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dataset, DatasetColumn } from '../api/types';
import { useI18n } from '../i18n';

/** The template's columns: header, type, required, allowed values, what to put in and an example. */
export function DatasetColumnsModal({ dataset, onClose }: { dataset: Dataset; onClose: () => void }) {
  const { t, label } = useI18n();
  const columns: ColumnsType<DatasetColumn> = [
    {
      title: t('column.header'),
      dataIndex: 'header',
      width: 140,
      render: (header: string) => <Typography.Text strong>{header}</Typography.Text>,
    },
    {
      title: t('column.type'),
      dataIndex: 'type',
      width: 140,
      render: (type: string) => label('columnType', type),
    },
    {
      title: t('column.required'),
      dataIndex: 'required',
      width: 80,
      render: (required: boolean) =>
        required ? <Tag color="red">{t('column.requiredYes')}</Tag> : <Tag>{t('column.requiredNo')}</Tag>,
    },
    {
      title: t('column.description'),
      key: 'description',
      render: (_, column) => (
        <Space direction="vertical" size={2}>
          <span>{column.description}</span>
          {column.values && (
            <Typography.Text type="secondary">
              {t('column.values')}：{column.values.join('、')}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('column.example'),
      dataIndex: 'example',
      width: 170,
      render: (example: string) => <Typography.Text code>{example}</Typography.Text>,
    },
  ];
  return (
    <Modal
      open
      width={960}
      title={t('myData.columnsTitle', { name: dataset.name })}
      onCancel={onClose}
      footer={null}
      data-testid="dataset-columns"
    >
      <Typography.Paragraph type="secondary">{dataset.description}</Typography.Paragraph>
      <Table<DatasetColumn>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={dataset.columns}
        pagination={false}
      />
    </Modal>
  );
}
