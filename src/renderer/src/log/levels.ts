import { logLevels, type LogLevel } from '../../../shared/model';

/**
 * The levels after a click on `level`: it is turned on or off, or (`only`) becomes the one level
 * shown. Turning the last one off turns them all back on, since "no level" would show nothing.
 */
export function toggleLevel(current: readonly LogLevel[], level: LogLevel, only: boolean): LogLevel[] {
  if (only) return [level];
  const next = current.includes(level) ? current.filter((l) => l !== level) : [...current, level];
  return next.length === 0 ? [...logLevels] : logLevels.filter((l) => next.includes(l));
}
