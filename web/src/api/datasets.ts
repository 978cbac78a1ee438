import { downloadFile, request } from './client';
import type { Dataset, Items, TemplateFormat } from './types';

export async function listDatasets(): Promise<Dataset[]> {
  const { items } = await request<Items<Dataset>>('/api/datasets');
  return items;
}

/** Saves the dataset's template (XLSX or CSV); answers with the file name the server gave it. */
export function downloadTemplate(code: string, format: TemplateFormat): Promise<string> {
  return downloadFile(`/api/datasets/${encodeURIComponent(code)}/template`, { format }, `${code}.${format}`);
}
