/** What a reader says when a read takes too long: the same words from the worker and from main. */
import { BerthError } from '../../../../shared/errors';

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

export function readTimeout(regex: boolean, ms: number): BerthError {
  return new BerthError(
    'bad_request',
    regex
      ? `regex: the regex ran longer than ${seconds(ms)} over the selected lines; narrow the filters (jobId, containerId, service, level, since/until) or simplify the regex`
      : `the query took longer than ${seconds(ms)}; narrow it (jobId, containerId, service, level, since/until)`,
  );
}
