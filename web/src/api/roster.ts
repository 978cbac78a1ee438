import { downloadFile, request, type UploadOptions, uploadForm } from './client';

/** The recipient roster (救助对象名册, issue #6): see docs/roster.md and docs/api.md. */

export interface RosterProblem {
  /** The sheet row (header = 1); 0 for the file or roster as a whole. */
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface RosterImportResult {
  status: 'committed' | 'rejected';
  versionId: number | null;
  month: string;
  familyCount: number;
  memberCount: number;
  authorizationMissingCount: number;
  supersededVersionId: number | null;
  problems: RosterProblem[];
}

export interface RosterVersion {
  id: number;
  requesterOrganisationId: number;
  requesterName: string | null;
  month: string;
  source: 'upload' | 'api';
  fileName: string | null;
  sm3: string;
  familyCount: number;
  memberCount: number;
  authorizationMissingCount: number;
  createdAt: string;
  createdByName: string | null;
  superseded: boolean;
  supersededAt: string | null;
  supersededBy: number | null;
}

export interface RosterFamily {
  id: number;
  familyKey: string;
  regionCode: string;
  assistanceType: string;
  assistanceTypeLabel: string;
  startDate: string;
  monthlyAmountFen: number;
  memberCount: number;
  members: { name: string; idNumberMasked: string; relation: string }[];
  authorizationOnFile: boolean;
  authorizationCaseId: number | null;
}

export interface RosterDiffFamily {
  familyKey: string;
  regionCode: string;
  assistanceType: string;
  monthlyAmountFen: number;
  memberCount: number;
}

export interface RosterDiff {
  version: RosterVersion;
  previous: RosterVersion | null;
  diff: {
    added: RosterDiffFamily[];
    removed: RosterDiffFamily[];
    amountChanged: { familyKey: string; fromFen: number; toFen: number }[];
    unchanged: number;
  };
}

export function downloadRosterTemplate(): Promise<string> {
  return downloadFile('/api/roster/template', undefined, '救助对象名册模板.xlsx');
}

export function uploadRoster(
  month: string,
  file: File,
  options: UploadOptions = {},
): Promise<RosterImportResult> {
  const form = new FormData();
  // Fields before the file: the server reads the parts in order.
  form.append('month', month);
  form.append('file', file, file.name);
  return uploadForm<RosterImportResult>('/api/roster/uploads', form, options);
}

export function listRosterVersions(query: {
  month?: string;
  includeSuperseded?: boolean;
  page?: number;
  pageSize?: number;
}): Promise<{ items: RosterVersion[]; total: number }> {
  return request('/api/roster/versions', { query });
}

export function getRosterVersion(
  id: number,
  query: { missingOnly?: boolean; page?: number; pageSize?: number } = {},
): Promise<{ version: RosterVersion; families: RosterFamily[]; familyTotal: number }> {
  return request(`/api/roster/versions/${id}`, { query });
}

export function getRosterDiff(id: number): Promise<RosterDiff> {
  return request(`/api/roster/versions/${id}/diff`);
}
