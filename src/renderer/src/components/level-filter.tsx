import { logLevels, type LevelCounts, type LogLevel } from '../../../shared/model';
import { levelLabels } from '../log/log-format';

interface LevelFilterProps {
  /** The levels shown; every level when all are on. */
  value: readonly LogLevel[];
  /** A click on a level; the owner applies `toggleLevel` to its current levels (clicks can outrun renders). */
  onToggle: (level: LogLevel, only: boolean) => void;
  counts?: LevelCounts;
  testId?: string;
}

/** One toggle per level; Alt/Option+click shows only that level. */
export function LevelFilter({ value, onToggle, counts, testId = 'log-level' }: LevelFilterProps) {
  return (
    <div className="level-filter" role="group" aria-label="Levels" data-testid={testId}>
      {logLevels.map((level) => (
        <button
          key={level}
          type="button"
          className="level-chip"
          data-level={level}
          aria-pressed={value.includes(level)}
          data-testid={`${testId}-${level}`}
          title={`Show ${level} lines (Alt+click: only ${level})`}
          onClick={(e) => onToggle(level, e.altKey)}
        >
          <span className="level-dot" aria-hidden="true" />
          {levelLabels[level]}
          {counts && <span className="level-count">{counts[level].toLocaleString()}</span>}
        </button>
      ))}
    </div>
  );
}
