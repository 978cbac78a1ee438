/** Error codes the client itself produces when the server gave no usable error body. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
export const BAD_RESPONSE = 'BAD_RESPONSE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  query?: Query;
  body?: unknown;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** The session layer registers here so any expired session sends the user back to the login page. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

const LOGIN_PATH = '/api/auth/login';

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error: unknown = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFrom(status: number, body: unknown): ApiError {
  return isErrorBody(body)
    ? new ApiError(
        status,
        body.error.code,
        body.error.message,
        body.error.details ?? null,
        body.error.requestId ?? null,
      )
    : new ApiError(status, BAD_RESPONSE, '', null, null);
}

/** A wrong current password is reported as INVALID_CREDENTIALS; that is not an expired session. */
function noteUnauthorized(path: string, error: ApiError): void {
  if (error.status === 401 && path !== LOGIN_PATH && error.code !== 'INVALID_CREDENTIALS') onUnauthorized();
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-hedui-csrf'] = '1';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : '', null, null);
  }
  if (res.ok) return res;

  const error = errorFrom(res.status, await readJson(res));
  noteUnauthorized(path, error);
  throw error;
}

/** Calls an endpoint that answers with a JSON body. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options);
  const body = await readJson(res);
  if (body === undefined) throw new ApiError(res.status, BAD_RESPONSE, '', null, null);
  return body as T;
}

/** Calls an endpoint that answers 204 No Content. */
export async function requestVoid(path: string, options: RequestOptions = {}): Promise<void> {
  await send(path, options);
}

/** The file name a `content-disposition` header carries (RFC 5987 `filename*` first), if any. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      return extended[1].trim();
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || null;
}

/**
 * Downloads a file the server answers with (template, error report) and hands it to the browser under the
 * server's file name. Errors arrive as ApiError like any other call, so the page can explain them.
 */
export async function downloadFile(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), { credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : '', null, null);
  }
  if (!res.ok) {
    const error = errorFrom(res.status, await readJson(res));
    noteUnauthorized(path, error);
    throw error;
  }
  const blob = await res.blob();
  const name = fileNameFromDisposition(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the blob by the time the click handler returns; free it a little later.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

export interface UploadOptions {
  /** Called with the share of the request body sent so far, 0–1. */
  onProgress?: (sent: number) => void;
  /** Called once the whole body is sent and the server is working on it. */
  onSent?: () => void;
  signal?: AbortSignal;
}

/** Error code for an upload the user cancelled. */
export const ABORTED = 'ABORTED';

/**
 * Posts a multipart form with XMLHttpRequest, which (unlike fetch) reports upload progress, and answers with
 * the JSON body like `request`.
 */
export function uploadForm<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-hedui-csrf', '1');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.upload.onload = () => {
      options.onProgress?.(1);
      options.onSent?.();
    };
    const parse = (): unknown => {
      if (!xhr.responseText) return undefined;
      try {
        return JSON.parse(xhr.responseText);
      } catch {
        return undefined;
      }
    };
    xhr.onload = () => {
      const body = parse();
      if (xhr.status >= 200 && xhr.status < 300) {
        if (body === undefined) reject(new ApiError(xhr.status, BAD_RESPONSE, '', null, null));
        else resolve(body as T);
        return;
      }
      const error = errorFrom(xhr.status, body);
      noteUnauthorized(path, error);
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, '', null, null));
    xhr.onabort = () => reject(new ApiError(0, ABORTED, '', null, null));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new ApiError(0, ABORTED, '', null, null));
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}
