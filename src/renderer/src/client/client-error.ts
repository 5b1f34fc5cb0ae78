import { errorStatus, isErrorCode, type ErrorCode } from '../../../shared/errors';

/** A failed request as the UI sees it, whichever transport carried it. */
export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** HTTP status, when the HTTP client produced the error. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** True when the server wants the person to sign in again (HTTP 401). */
export function isUnauthorized(err: unknown): boolean {
  return err instanceof ClientError && err.code === 'unauthorized';
}

/** The code a status stands for, when a body did not say. */
export function codeForStatus(status: number): ErrorCode {
  for (const [code, s] of Object.entries(errorStatus)) {
    if (s === status && isErrorCode(code)) return code;
  }
  return status >= 500 ? 'internal' : 'bad_request';
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
