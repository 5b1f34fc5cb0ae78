/** Small integer codes used in the `logs` table (see migration 1), and their names. */
import { logLevels, logSources, type LogLevel, type LogSource } from '../../../shared/model';

export const enum Stream {
  None = 0,
  Stdout = 1,
  Stderr = 2,
}

export const levelCode = (level: LogLevel): number => logLevels.indexOf(level);
export const levelName = (code: number): LogLevel => logLevels[code] ?? 'info';
export const sourceCode = (source: LogSource): number => logSources.indexOf(source);
export const sourceName = (code: number): LogSource => logSources[code] ?? 'system';

/** A line ready to be stored: what ingest produces and the writer consumes. */
export interface PendingLine {
  ts: number;
  jobId: number | null;
  stream: Stream;
  level: number;
  source: number;
  message: string;
}

export interface StoredLine extends PendingLine {
  id: number;
}
