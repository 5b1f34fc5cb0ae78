import { errorMessage, isUnauthorized } from '../client/client-error';
import { useSession } from './session-store';
import { useToasts } from './toasts-store';

/** Where failed requests go: a 401 asks for sign-in, anything else becomes a toast. */
export function reportError(err: unknown, what?: string): void {
  if (isUnauthorized(err)) {
    useSession.getState().setAuthNeeded(true);
    return;
  }
  const message = errorMessage(err);
  useToasts.getState().push('error', what ? `${what}: ${message}` : message);
}
