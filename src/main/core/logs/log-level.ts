import type { LogLevel } from '../../../shared/model';

const names: Record<string, LogLevel> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'error',
  critical: 'error',
  crit: 'error',
  panic: 'error',
  alert: 'error',
  emerg: 'error',
};

/** pino/bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function fromNumber(n: number): LogLevel | undefined {
  if (!Number.isFinite(n) || n < 10) return undefined;
  if (n < 30) return 'debug';
  if (n < 40) return 'info';
  if (n < 50) return 'warn';
  return 'error';
}

function fromValue(v: unknown): LogLevel | undefined {
  if (typeof v === 'string') return names[v.toLowerCase()];
  if (typeof v === 'number') return fromNumber(v);
  return undefined;
}

/** Beyond this size a line is not worth parsing just to find its level. */
const maxJsonProbe = 16 * 1024;

/**
 * stdout lines are info and stderr lines error, unless the line is a JSON object with its own
 * level (`level`, `lvl`, `severity` or `log.level`), which wins.
 */
export function detectLevel(message: string, isStdErr: boolean): LogLevel {
  const fallback: LogLevel = isStdErr ? 'error' : 'info';
  if (message.length < 2 || message.length > maxJsonProbe || message.charCodeAt(0) !== 123 /* { */) return fallback;
  if (!/"(level|lvl|severity|log\.level)"|"log"\s*:\s*\{/.test(message)) return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return fallback;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return fallback;
  const o = parsed as Record<string, unknown>;
  const nested = o.log && typeof o.log === 'object' ? (o.log as Record<string, unknown>).level : undefined;
  return fromValue(o.level) ?? fromValue(o.lvl) ?? fromValue(o.severity) ?? fromValue(o['log.level']) ?? fromValue(nested) ?? fallback;
}
