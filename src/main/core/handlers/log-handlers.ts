import type { Attachments } from '../logs/attachments';
import type { LogReader } from '../logs/log-reader';
import type { DownloadsFor, HandlersFor, JsonHandlers } from './handler-types';

export function logHandlers(reader: LogReader, attachments: Attachments): HandlersFor<'logs'> {
  return {
    'logs.query': async (query) => {
      const { logs, truncated } = await reader.query(query);
      return truncated ? { count: logs.length, logs, truncated } : { count: logs.length, logs };
    },
    'logs.count': async (filter) => ({ count: await reader.count(filter) }),
    'logs.attachments': async ({ hostId }) => {
      const list = attachments.list(hostId);
      return { count: list.length, attachments: list };
    },
    'logs.attach': (input) => attachments.attach(input),
    'logs.detach': (input) => attachments.detach(input),
  };
}

export function logDownloads(reader: LogReader): DownloadsFor<'logs'> {
  return {
    'logs.export': async (input) => reader.export(input),
  };
}

/** Query answers serialized in the reader worker (up to 100,000 lines). */
export function logJsonHandlers(reader: LogReader): JsonHandlers {
  return {
    'logs.query': (query) => reader.queryJson(query),
  };
}
