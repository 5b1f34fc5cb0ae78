/** How `berth logs` prints a line: like `docker logs`, or as NDJSON. */
import type { LogEntry, LogLine } from '../../../shared/model';
import type { Output, Target } from '../output';
import { dockerTimestamp } from '../time';

/** What printing needs of a line, whether it came from the REST API or the live stream. */
export interface PrintableLine {
  timestamp: number;
  message: string;
  isStdErr: boolean;
  /** One of Berth's own lines about the job, not the container's output. */
  isSystem: boolean;
}

export const systemMark = '[berth] ';

export function fromLive(line: LogLine): PrintableLine {
  return { timestamp: line.timestamp, message: line.message, isStdErr: line.isStdErr, isSystem: line.source !== 'container' };
}

/** The container's stderr and Berth's own lines go to stderr, the rest to stdout. */
export function targetOf(line: PrintableLine): Target {
  return line.isStdErr || line.isSystem ? 'stderr' : 'stdout';
}

/** One line of `docker logs` output: `[time ]message\n`, Berth's own lines marked. */
export function formatText(line: PrintableLine, timestamps: boolean): string {
  const time = timestamps ? `${dockerTimestamp(line.timestamp)} ` : '';
  return `${time}${line.isSystem ? systemMark : ''}${line.message}\n`;
}

export function formatJson(entry: LogEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

export class LinePrinter {
  constructor(
    private readonly out: Output,
    private readonly options: { timestamps: boolean; json: boolean },
  ) {}

  /** Adds a stored line (from the REST API). */
  entry(entry: LogEntry): void {
    if (this.options.json) this.out.add('stdout', formatJson(entry));
    else this.text(entry);
  }

  /** Adds a line in text form (from the REST API or the live stream). */
  text(line: PrintableLine): void {
    this.out.add(targetOf(line), formatText(line, this.options.timestamps));
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}
