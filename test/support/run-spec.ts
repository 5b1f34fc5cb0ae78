import type { RunSpec } from '../../src/shared/model';
import { emptyRunSpec } from '../../src/shared/run-spec-defaults';

/** A run spec with nothing set but an image and a command, and `over` on top. */
export function runSpec(over: Partial<RunSpec> = {}): RunSpec {
  return { ...emptyRunSpec(), image: 'busybox', ...over };
}
