import { InboxOutlined } from '@ant-design/icons';
import { App, Upload, type UploadFile } from 'antd';

/**
 * One spreadsheet (or bundle) picked for upload, kept in the page until it is sent: a file of another type is
 * refused at once with `wrongType`; removing it gives `null`.
 */
export function SingleFileDragger({
  accept,
  pattern,
  file,
  onFile,
  text,
  hint,
  wrongType,
  testId,
}: {
  /** The `accept` attribute of the file dialog. */
  accept: string;
  /** What a file name must match. */
  pattern: RegExp;
  file: File | null;
  onFile: (file: File | null) => void;
  text: string;
  hint: string;
  wrongType: string;
  testId: string;
}) {
  const { message } = App.useApp();
  const fileList: UploadFile[] = file
    ? [{ uid: 'picked', name: file.name, size: file.size, status: 'done' }]
    : [];
  return (
    <div data-testid={testId}>
      <Upload.Dragger
        accept={accept}
        multiple={false}
        maxCount={1}
        fileList={fileList}
        beforeUpload={(picked) => {
          if (pattern.test(picked.name)) onFile(picked);
          else message.error(wrongType);
          return false;
        }}
        onRemove={() => {
          onFile(null);
          return true;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{text}</p>
        <p className="ant-upload-hint">{hint}</p>
      </Upload.Dragger>
    </div>
  );
}
