/** Stable error codes. The CLI maps each to an exit status; the MCP adapter to an isError result. */
export type ErrorCode =
  | 'USAGE'
  | 'NOT_SIGNED_IN'
  | 'SESSION_EXPIRED'
  | 'LOGIN_EXPORTED'
  | 'INVALID_CLIENT'
  | 'REDIRECT_URI_MISMATCH'
  | 'CONSENT_DENIED'
  | 'AUTHORIZE_FAILED'
  | 'STATE_MISMATCH'
  | 'LOGIN_TIMEOUT'
  | 'CALLBACK_PORT_IN_USE'
  | 'BROWSER_FAILED'
  | 'NO_SITE_ACCESS'
  | 'SITE_NOT_FOUND'
  | 'SITE_CHOICE_NEEDED'
  | 'MISSING_SCOPE'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'NETWORK'
  | 'SERVER_ERROR'
  | 'BAD_RESPONSE'
  | 'STORE_CORRUPT'
  | 'STORE_UNAVAILABLE'
  | 'STORE_UNSAFE'
  /** Internal: a compare-and-swap write found newer tokens; the caller adopts them. */
  | 'STORE_CHANGED'
  | 'KEYRING_UNAVAILABLE'
  | 'INSECURE_URL'
  | 'SERVICE_MISMATCH'
  | 'MISSING_CLIENT_CREDENTIALS'
  | 'NO_PENDING_LOGIN'
  | 'BUNDLE_INVALID'
  | 'ACCOUNT_CONFLICT'
  | 'ENV_TOKEN_ACTIVE'
  | 'SECTION_NOT_FOUND'
  | 'SECTION_AMBIGUOUS'
  | 'TEXT_NOT_FOUND'
  | 'TEXT_AMBIGUOUS'
  | 'VERSION_CONFLICT'
  | 'ADF_INVALID'
  | 'TITLE_TAKEN'
  | 'PAGE_TOO_LARGE'
  | 'ADF_MARKDOWN_INVALID'
  | 'CANCELLED'
  | 'ADF_NOT_JSON'
  | 'INTERNAL';

export interface AppErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Extra facts for --json / MCP output; never a secret. */
  details?: Record<string, unknown>;
}

/**
 * Marks an AppError across copies of this module: the ADF converter ships in its own bundle with its
 * own copy of this class, and its errors must still be AppErrors to the CLI's `instanceof`.
 */
const APP_ERROR = Symbol.for('confluence-adf.AppError');

/** The one error type: a stable code, a message for people, a hint naming the next step. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [APP_ERROR]?: unknown })[APP_ERROR] === true;
  }

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, APP_ERROR, { value: true });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The codes after which only a new `auth login` helps. */
export const LOGIN_NEEDED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NOT_SIGNED_IN',
  'SESSION_EXPIRED',
  'LOGIN_EXPORTED',
]);

export const LOGIN_HINT = 'Run `confluence-adf auth login` to sign in.';
