/**
 * Keeps identifiers out of logs and error bodies. Resident ID numbers (15 or 18 characters) and bank card or
 * account numbers (16–19 digits) are masked wherever they appear in text, as lists show them
 * (`6201**********1234`); credentials and known personal fields are removed from log records by path.
 */
import type { FastifyServerOptions } from 'fastify';

/** A run of 15–19 digits (the last may be X), not part of a longer run of digits or letters. */
const IDENTIFIER = /(?<![0-9A-Za-z])(\d{4})(\d{7,11})(\d{3}[\dXx])(?![0-9A-Za-z])/g;

export function maskText(text: string): string {
  return text.replace(IDENTIFIER, (_m, head: string, middle: string, tail: string) => {
    return `${head}${'*'.repeat(middle.length)}${tail}`;
  });
}

/** Masks every string inside plain data (objects, arrays; Errors by message and stack). */
export function maskIdentifiers<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return maskText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 20) return value;
  if (Array.isArray(value)) return value.map((v) => maskIdentifiers(v, depth + 1)) as T;
  // Only plain data and errors: class instances (a request, a socket) are left to their own serializers.
  const proto = Object.getPrototypeOf(value);
  if (!(value instanceof Error) && proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = maskIdentifiers(v, depth + 1);
  if (value instanceof Error) {
    out.type = value.name;
    out.message = maskText(value.message);
    if (value.stack) out.stack = maskText(value.stack);
  }
  return out as T;
}

/** Fields removed from every log record (headers carrying credentials, bodies' identity fields). */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.idNumber',
  '*.token',
  '*.secret',
];

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;
type Logger = FastifyServerOptions['logger'];

/**
 * The given logger options with redaction: identifier-like text is masked in messages, the request URL and every
 * logged object (errors included), and the paths above are replaced by «已隐藏». Stack traces stay in the server
 * log (masked) for the operator; they never reach a client (plugins/errors.ts).
 */
export function withLogRedaction(options: LoggerOptions | true): Logger {
  const base: Record<string, unknown> = options === true ? {} : { ...(options as Record<string, unknown>) };
  const serializers = (base.serializers ?? {}) as Record<string, (v: unknown) => unknown>;
  return {
    ...base,
    redact: { paths: REDACTED_PATHS, censor: '已隐藏' },
    serializers: {
      ...serializers,
      req: (req: { method?: string; url?: string; ip?: string; id?: string }) => ({
        method: req.method,
        url: maskText(req.url ?? ''),
        remoteAddress: req.ip,
      }),
      err: (err: unknown) => maskIdentifiers(err),
    },
    formatters: { log: (object: Record<string, unknown>) => maskIdentifiers(object) },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskText(a) : a)),
        );
      },
    },
  } as Logger;
}
