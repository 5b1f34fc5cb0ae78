/**
 * The names and REST routes of every request, without schemas: the part of the contract that
 * the preload and the renderer need at run time, kept free of zod so neither bundles it.
 * `contract.ts` gives each of these names its input and output schemas (checked by the compiler).
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** `:name` segments are taken from the input; GET reads the rest from the query string, others from the JSON body. */
  path: string;
  /** Status of a success, when not 200. */
  status?: number;
}

export const routes = {
  'hosts.list': { method: 'GET', path: '/api/v1/hosts' },
  'hosts.add': { method: 'POST', path: '/api/v1/hosts', status: 201 },
  'hosts.refresh': { method: 'POST', path: '/api/v1/hosts/:id/refresh' },
  'templates.list': { method: 'GET', path: '/api/v1/templates' },
  'templates.create': { method: 'POST', path: '/api/v1/templates', status: 201 },
  'jobs.list': { method: 'GET', path: '/api/v1/jobs' },
  'jobs.get': { method: 'GET', path: '/api/v1/jobs/:id' },
  'jobs.run': { method: 'POST', path: '/api/v1/jobs', status: 201 },
  'jobs.cancel': { method: 'POST', path: '/api/v1/jobs/:id/cancel' },
  'logs.query': { method: 'GET', path: '/api/v1/logs' },
  'logs.count': { method: 'GET', path: '/api/v1/logs/count' },
} as const satisfies Record<string, HttpRoute>;

export type RequestName = keyof typeof routes;
export const requestNames = Object.keys(routes) as RequestName[];

/** IPC channel names, derived so that no one spells them by hand. */
export const ipcChannels = {
  request: (name: RequestName) => `berth:request:${name}`,
  event: 'berth:event',
  subscribe: 'berth:subscribe',
  unsubscribe: 'berth:unsubscribe',
  stream: 'berth:stream',
} as const;
