/** The end of a small form: its error, if any, then Cancel (when it can be dismissed) and submit. */
export function FormFooter({
  error,
  errorTestId,
  onCancel,
  busy,
  disabled = false,
  label,
  busyLabel,
  submitTestId,
}: {
  error: string | null | undefined;
  errorTestId?: string;
  onCancel?: () => void;
  busy: boolean;
  disabled?: boolean;
  label: string;
  busyLabel: string;
  submitTestId: string;
}) {
  return (
    <>
      {error && (
        <p className="form-error" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="button button-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy || disabled} data-testid={submitTestId}>
          {busy ? busyLabel : label}
        </button>
      </div>
    </>
  );
}
