import type { ReactNode } from 'react';

interface FormFieldProps {
  /** The contract's field name: its server messages are shown here, and tests find it by it. */
  name: string;
  label: string;
  errors?: string[];
  help?: ReactNode;
  wide?: boolean;
  children: ReactNode;
}

/** A labelled field with its help and the server's messages about it. */
export function FormField({ name, label, errors, help, wide, children }: FormFieldProps) {
  return (
    <label className={`field${wide ? ' field-wide' : ''}`} data-field={name} data-invalid={errors?.length ? true : undefined}>
      <span className="field-label">{label}</span>
      {children}
      {help && <span className="field-help">{help}</span>}
      <FieldErrors name={name} errors={errors} />
    </label>
  );
}

/** The server's messages about one field, for fields laid out by hand. */
export function FieldErrors({ name, errors, wide }: { name: string; errors?: string[]; wide?: boolean }) {
  return errors?.map((message, i) => (
    <span key={i} className={`field-error${wide ? ' field-wide' : ''}`} role="alert" data-testid={`field-error-${name}`}>
      {message}
    </span>
  ));
}

interface FormSectionProps {
  title: string;
  summary?: string;
  open: boolean;
  onToggle(open: boolean): void;
  testId: string;
  children: ReactNode;
}

/** A collapsible part of a form, so the simple case stays simple; opened by its owner when a field in it has a problem. */
export function FormSection({ title, summary, open, onToggle, testId, children }: FormSectionProps) {
  return (
    <details className="form-section" open={open} onToggle={(e) => onToggle(e.currentTarget.open)} data-testid={testId}>
      <summary className="form-section-summary">
        <span className="form-section-title">{title}</span>
        {summary && <span className="muted">{summary}</span>}
      </summary>
      <div className="form-grid form-section-body">{children}</div>
    </details>
  );
}
