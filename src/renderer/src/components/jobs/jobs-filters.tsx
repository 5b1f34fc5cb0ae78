import { useEffect, useState } from 'react';
import { jobStatuses, jobTriggers, type JobStatus } from '../../../../shared/job-status';
import { useClient } from '../../client/client-context';
import { createdPresets, defaultJobQuery, isFiltered, type CreatedPreset } from '../../state/job-list';
import { useHosts } from '../../state/hosts-store';
import { setJobQuery, useJobsTable } from '../../state/jobs-table-store';
import { useTemplates } from '../../state/templates-store';
import { statusLabels } from '../status-pill';

/** Typing in the search box asks the server once the person pauses. */
const searchDelayMs = 250;

const triggerLabels = { manual: 'Manual', schedule: 'Schedule', retry: 'Retry', api: 'API' } as const;

export function JobsFilters() {
  const client = useClient();
  const query = useJobsTable((s) => s.query);
  const templates = useTemplates((s) => s.templates);
  const hosts = useHosts((s) => s.hosts);
  const [text, setText] = useState(query.q);

  // The box follows the query when it changes elsewhere (Clear filters).
  useEffect(() => setText(query.q), [query.q]);
  useEffect(() => {
    if (text.trim() === query.q.trim()) return;
    const timer = setTimeout(() => void setJobQuery(client, { q: text }), searchDelayMs);
    return () => clearTimeout(timer);
  }, [client, text, query.q]);

  const toggleStatus = (status: JobStatus) => {
    const statuses = query.statuses.includes(status) ? query.statuses.filter((s) => s !== status) : [...query.statuses, status];
    void setJobQuery(client, { statuses });
  };
  const idOrNull = (value: string) => (value === '' ? null : Number(value));

  return (
    <div className="card jobs-filters" data-testid="jobs-filters">
      <div className="jobs-filter-row">
        <input
          className="input jobs-search"
          type="search"
          placeholder="Job id or template name"
          aria-label="Search jobs by id or template name"
          data-testid="jobs-filter-q"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void setJobQuery(client, { q: text });
          }}
        />
        <select
          className="input"
          aria-label="Template"
          data-testid="jobs-filter-template"
          value={query.templateId ?? ''}
          onChange={(e) => void setJobQuery(client, { templateId: idOrNull(e.target.value) })}
        >
          <option value="">All templates</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Host"
          data-testid="jobs-filter-host"
          value={query.hostId ?? ''}
          onChange={(e) => void setJobQuery(client, { hostId: idOrNull(e.target.value) })}
        >
          <option value="">All hosts</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Trigger"
          data-testid="jobs-filter-trigger"
          value={query.trigger ?? ''}
          onChange={(e) => void setJobQuery(client, { trigger: e.target.value === '' ? null : (e.target.value as (typeof jobTriggers)[number]) })}
        >
          <option value="">Any trigger</option>
          {jobTriggers.map((t) => (
            <option key={t} value={t}>
              {triggerLabels[t]}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Created"
          data-testid="jobs-filter-created"
          value={query.created}
          onChange={(e) => void setJobQuery(client, { created: e.target.value as CreatedPreset })}
        >
          {(Object.keys(createdPresets) as CreatedPreset[]).map((key) => (
            <option key={key} value={key}>
              {createdPresets[key].label}
            </option>
          ))}
        </select>
      </div>
      <div className="jobs-filter-row" role="group" aria-label="Status">
        {jobStatuses.map((status) => (
          <button
            key={status}
            type="button"
            className="status-chip"
            data-status={status}
            data-testid={`jobs-filter-status-${status}`}
            aria-pressed={query.statuses.includes(status)}
            onClick={() => toggleStatus(status)}
          >
            <span className="pill-dot" aria-hidden="true" />
            {statusLabels[status]}
          </button>
        ))}
        {isFiltered(query) && (
          <button
            type="button"
            className="button button-ghost button-small jobs-filter-clear"
            data-testid="jobs-filter-clear"
            onClick={() => void setJobQuery(client, { ...defaultJobQuery, sort: query.sort, order: query.order })}
          >
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}
