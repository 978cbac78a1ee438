import { downloadFile, request } from './client';
import type { BatchKind, Dataset, Items, TemplateFormat } from './types';

export async function listDatasets(): Promise<Dataset[]> {
  const { items } = await request<Items<Dataset>>('/api/datasets');
  return items;
}

/**
 * Saves the dataset's template (XLSX or CSV), or with `unidentified` the template of its rows without a usable ID
 * number (待认定记录); answers with the file name the server gave it.
 */
export function downloadTemplate(
  code: string,
  format: TemplateFormat,
  kind: BatchKind = 'main',
): Promise<string> {
  const query = kind === 'main' ? { format } : { format, kind };
  return downloadFile(`/api/datasets/${encodeURIComponent(code)}/template`, query, `${code}.${format}`);
}
