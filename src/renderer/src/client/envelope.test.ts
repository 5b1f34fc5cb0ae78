import { describe, expect, it } from 'vitest';
import { ClientError, codeForStatus, isUnauthorized } from './client-error';
import { unwrapEnvelope } from './envelope';

describe('unwrapEnvelope', () => {
  it('returns the value of an ok envelope', () => {
    expect(unwrapEnvelope({ ok: true, value: { id: 1 } })).toEqual({ id: 1 });
  });

  it('throws the error with its code', () => {
    let caught: unknown;
    try {
      unwrapEnvelope({ ok: false, error: { code: 'not_found', message: 'job 9 does not exist' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ClientError);
    expect((caught as ClientError).code).toBe('not_found');
    expect((caught as ClientError).message).toBe('job 9 does not exist');
  });

  it('maps unknown codes and malformed replies to internal', () => {
    expect(() => unwrapEnvelope({ ok: false, error: { code: 'weird' as 'internal', message: 'x' } })).toThrow(
      expect.objectContaining({ code: 'internal', message: 'x' }),
    );
    expect(() => unwrapEnvelope(undefined as never)).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});

describe('client errors', () => {
  it('recognises 401 as sign-in needed', () => {
    expect(isUnauthorized(new ClientError('unauthorized', 'no'))).toBe(true);
    expect(isUnauthorized(new ClientError('forbidden', 'no'))).toBe(false);
    expect(isUnauthorized(new Error('unauthorized'))).toBe(false);
  });

  it('derives a code from a status', () => {
    expect(codeForStatus(401)).toBe('unauthorized');
    expect(codeForStatus(404)).toBe('not_found');
    expect(codeForStatus(502)).toBe('internal');
    expect(codeForStatus(418)).toBe('bad_request');
  });
});
