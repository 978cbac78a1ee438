import type { FileError, FileErrorCode } from '../domain/catalog/types.ts';

/** A file-level problem found while opening or reading an upload; the message is for the uploader. */
export class TableError extends Error {
  readonly code: FileErrorCode;

  constructor(code: FileErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TableError';
    this.code = code;
  }

  toFileError(): FileError {
    return { code: this.code, message: this.message };
  }
}

/** The advice every "cannot read this" message ends with. */
export const SAVE_AS_HINT =
  '请用 Excel 或 WPS 打开后“另存为” .xlsx 工作簿或“CSV UTF-8（逗号分隔）”文件，再重新上传。';
