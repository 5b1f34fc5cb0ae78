/** Error codes shared by both transports; HTTP maps them to statuses, IPC carries them in an envelope. */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** An error whose message is meant for the person who made the request. */
export class BerthError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BerthError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** What crosses IPC: errors as data, because contextBridge keeps only an Error's message. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code in errorStatus;
}

/** The body to send for any thrown value; `onUnexpected` hears about anything that is not a BerthError. */
export function errorBodyOf(err: unknown, onUnexpected?: (err: unknown) => void): ErrorBody {
  if (err instanceof BerthError) return err.toBody();
  onUnexpected?.(err);
  return { code: 'internal', message: 'internal error; see the Berth log' };
}
