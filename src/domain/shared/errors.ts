/**
 * Every error code the platform returns, in one place, with the HTTP status it maps to.
 * Codes are stable: clients and departments' systems key on them.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  CSRF_REQUIRED: 403,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  PERMISSION_DENIED: 403,
  /** A machine client's key (or its token) lacks the scope the route needs (docs/integration.md). */
  SCOPE_REQUIRED: 403,
  OUT_OF_SCOPE: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  USERNAME_TAKEN: 409,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_DISABLED: 403,
  WEAK_PASSWORD: 400,
  /** The password was right; the session reaches nothing but the second-factor step until a code is given. */
  SECOND_FACTOR_REQUIRED: 401,
  /** A wrong, expired or already used TOTP or recovery code. */
  INVALID_SECOND_FACTOR: 401,
  /** The role must use a second factor and has none: enrol before anything else. */
  SECOND_FACTOR_ENROLMENT_REQUIRED: 403,
  /** The password has expired (or must be changed): change it before anything else. */
  PASSWORD_CHANGE_REQUIRED: 403,
  INVALID_ROLE_FOR_ORGANISATION: 400,
  INVALID_REGION: 400,
  CALENDAR_NOT_COVERED: 422,
  INVALID_DATE: 400,
  FILE_TOO_LARGE: 413,
  /** An offline exchange takes one answer; a second is refused. */
  EXCHANGE_ALREADY_ANSWERED: 409,
  /** A month's recheck of an agency's scope is already running (issue #6): one run at a time. */
  RECHECK_RUNNING: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many requests from one address or account (rate limit); the answer carries Retry-After. */
  RATE_LIMITED: 429,
  /** No SM2 key to sign audit checkpoints with (key file without `signingKeys`; see docs/security.md). */
  AUDIT_SIGNING_KEY_MISSING: 503,
  /** The audit chain is broken: no checkpoint is signed over it. */
  AUDIT_CHAIN_BROKEN: 409,
  INTERNAL_ERROR: 500,
  /** /readyz: the database has migrations this program expects and has not run (an upgrade in progress). */
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
