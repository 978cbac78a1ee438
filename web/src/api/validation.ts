import { ApiError } from './client';

export type PathSegment = string | number;

export interface FieldError {
  path: PathSegment[];
  code: string;
  message: string;
}

/** Accepts a path as an array (`['days', 3, 'date']`) or a string (`days.3.date`, `days[3].date`, `/days/3/date`). */
function normalisePath(path: unknown): PathSegment[] {
  const segments: unknown[] = Array.isArray(path)
    ? path
    : typeof path === 'string'
      ? path.split(/[.[\]/]+/).filter(Boolean)
      : [];
  const normalised = segments.map((segment): PathSegment => {
    if (typeof segment === 'number') return segment;
    const text = String(segment);
    return /^\d+$/.test(text) ? Number(text) : text;
  });
  // Some validators prefix the request part the error was found in.
  return normalised[0] === 'body' ? normalised.slice(1) : normalised;
}

/** The per-field errors of a VALIDATION_FAILED response (`details.errors`). */
export function validationErrors(error: unknown): FieldError[] {
  if (!(error instanceof ApiError) || typeof error.details !== 'object' || error.details === null) return [];
  const list: unknown = 'errors' in error.details ? error.details.errors : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown): FieldError[] => {
    if (typeof item !== 'object' || item === null) return [];
    const message = 'message' in item && typeof item.message === 'string' ? item.message : '';
    const code = 'code' in item && typeof item.code === 'string' ? item.code : '';
    return [{ path: normalisePath('path' in item ? item.path : undefined), code, message: message || code }];
  });
}
