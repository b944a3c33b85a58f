import type { ErrorCode } from '../core/errors.js';

export const EXIT = { ok: 0, error: 1, usage: 2, loginNeeded: 4, conflict: 5, cancelled: 130 } as const;

/** The one table from error code to exit status. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'SITE_CHOICE_NEEDED':
    case 'MISSING_CLIENT_CREDENTIALS':
    case 'ENV_TOKEN_ACTIVE':
      return EXIT.usage;
    case 'NOT_SIGNED_IN':
    case 'SESSION_EXPIRED':
    case 'LOGIN_EXPORTED':
      return EXIT.loginNeeded;
    case 'VERSION_CONFLICT':
      return EXIT.conflict;
    case 'CANCELLED':
      return EXIT.cancelled;
    default:
      return EXIT.error;
  }
}
