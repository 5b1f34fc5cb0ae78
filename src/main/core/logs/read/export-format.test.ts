import { describe, expect, it } from 'vitest';
import type { LogExport } from '../../../../shared/contract';
import type { LogEntry } from '../../../../shared/model';
import { dockerTimestamp, exportContentType, exportFilename, formatEntries } from './export-format';

const entry = (over: Partial<LogEntry> = {}): LogEntry => ({
  id: 7,
  message: 'hello \x1b[31mred\x1b[0m',
  timestamp: Date.UTC(2026, 10, 23, 10, 0, 0, 123),
  level: 'info',
  source: { type: 'container', name: 'api' },
  serviceId: 1,
  serviceName: 'api',
  containerId: 'a'.repeat(64),
  jobId: 3,
  isStdErr: false,
  isSystem: false,
  ...over,
});

const exportOf = (over: Partial<LogExport> = {}): LogExport => ({ format: 'ndjson', gzip: false, ...over }) as LogExport;
const at = new Date(Date.UTC(2026, 10, 23, 9, 5, 7));

describe('export formats', () => {
  it('prints times as docker logs --timestamps does: UTC, nine fraction digits', () => {
    expect(dockerTimestamp(Date.UTC(2026, 10, 23, 10, 0, 0, 123))).toBe('2026-11-23T10:00:00.123000000Z');
    expect(dockerTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe('2026-01-02T03:04:05.000000000Z');
  });

  it('writes text lines as timestamp, space, the message as stored', () => {
    const text = formatEntries([entry(), entry({ id: 8, message: 'second' })], 'text');
    expect(text).toBe('2026-11-23T10:00:00.123000000Z hello \x1b[31mred\x1b[0m\n2026-11-23T10:00:00.123000000Z second\n');
  });

  it('writes one LogEntry as JSON per line in NDJSON', () => {
    const lines = formatEntries([entry(), entry({ id: 8 })], 'ndjson').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(entry());
  });

  it('says gzip when gzipped, else the format with its charset', () => {
    expect(exportContentType({ format: 'ndjson', gzip: false })).toBe('application/x-ndjson; charset=utf-8');
    expect(exportContentType({ format: 'text', gzip: false })).toBe('text/plain; charset=utf-8');
    expect(exportContentType({ format: 'text', gzip: true })).toBe('application/gzip');
  });

  it('names the file after what was exported and when', () => {
    expect(exportFilename(exportOf({ jobId: [42] }), at)).toBe('berth-logs-job-42-20261123-090507.ndjson');
    expect(exportFilename(exportOf({ containerId: ['ABCDEF0123456789'], format: 'text' }), at)).toBe('berth-logs-abcdef012345-20261123-090507.log');
    expect(exportFilename(exportOf({ serviceName: ['edge proxy/v2'], gzip: true }), at)).toBe('berth-logs-edge_proxy_v2-20261123-090507.ndjson.gz');
    expect(exportFilename(exportOf({ serviceId: [5] }), at)).toBe('berth-logs-service-5-20261123-090507.ndjson');
    expect(exportFilename(exportOf({ jobId: [1, 2] }), at)).toBe('berth-logs-all-20261123-090507.ndjson');
    expect(exportFilename(exportOf({ format: 'text', gzip: true }), at)).toBe('berth-logs-all-20261123-090507.log.gz');
  });
});
