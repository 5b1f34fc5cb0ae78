import type { ReactNode } from 'react';

interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  tone?: 'neutral' | 'error';
  testId?: string;
}

export function EmptyState({ title, children, tone = 'neutral', testId }: EmptyStateProps) {
  return (
    <div className="empty-state" data-tone={tone} data-testid={testId} role={tone === 'error' ? 'alert' : undefined}>
      <p className="empty-state-title">{title}</p>
      {children && <div className="empty-state-body">{children}</div>}
    </div>
  );
}
