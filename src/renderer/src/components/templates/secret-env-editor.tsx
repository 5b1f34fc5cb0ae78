import { secretMask } from '../../../../shared/model';
import type { SecretDraft } from './template-draft';

interface SecretEnvEditorProps {
  secrets: SecretDraft[];
  onChange(secrets: SecretDraft[]): void;
}

/**
 * Secret variables: a stored one shows only its key and the mask (the server never sends its
 * value), with "Replace" to type a new value; new ones take a key and a value. Values are typed
 * into password inputs and never shown back.
 */
export function SecretEnvEditor({ secrets, onChange }: SecretEnvEditorProps) {
  const change = (index: number, patch: Partial<SecretDraft>) => onChange(secrets.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const remove = (index: number) => onChange(secrets.filter((_, i) => i !== index));

  return (
    <div className="secret-list" data-testid="secret-env">
      {secrets.map((secret, i) => (
        <div className="secret-row" key={i} data-testid="secret-row" data-key={secret.key}>
          {secret.stored ? (
            <span className="mono secret-key" data-testid="secret-key-stored">
              {secret.key}
            </span>
          ) : (
            <input
              className="input mono secret-key"
              aria-label="Secret name"
              placeholder="NAME"
              value={secret.key}
              spellCheck={false}
              autoCapitalize="off"
              data-testid="secret-key"
              onChange={(e) => change(i, { key: e.target.value })}
            />
          )}
          {secret.stored && !secret.replacing ? (
            <>
              <span className="mono secret-masked" data-testid="secret-masked" title="Stored; its value is never shown">
                {secretMask}
              </span>
              <button type="button" className="button button-small" data-testid="secret-replace" onClick={() => change(i, { replacing: true, value: '' })}>
                Replace
              </button>
            </>
          ) : (
            <>
              <input
                className="input mono"
                type="password"
                autoComplete="new-password"
                aria-label={`Value of ${secret.key || 'the secret'}`}
                placeholder={secret.stored ? 'new value' : 'value'}
                value={secret.value}
                data-testid="secret-value"
                onChange={(e) => change(i, { value: e.target.value })}
              />
              {secret.stored && (
                <button type="button" className="button button-small button-ghost" onClick={() => change(i, { replacing: false, value: '' })}>
                  Keep
                </button>
              )}
            </>
          )}
          <button type="button" className="button button-small button-ghost" aria-label={`Remove ${secret.key || 'secret'}`} data-testid="secret-remove" onClick={() => remove(i)}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="button button-small"
          data-testid="secret-add"
          onClick={() => onChange([...secrets, { key: '', stored: false, replacing: false, value: '' }])}
        >
          Add secret
        </button>
      </div>
    </div>
  );
}
