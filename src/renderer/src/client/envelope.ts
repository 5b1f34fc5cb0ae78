import { isErrorCode, type Envelope } from '../../../shared/errors';
import { ClientError } from './client-error';

/** The value of an IPC envelope, or its error thrown as a `ClientError`. */
export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope && envelope.ok === true) return envelope.value;
  if (envelope && envelope.ok === false) {
    const { code, message } = envelope.error ?? {};
    throw new ClientError(isErrorCode(code) ? code : 'internal', typeof message === 'string' ? message : 'request failed');
  }
  throw new ClientError('internal', 'malformed reply from the main process');
}
