/**
 * The names and REST routes of every request, without schemas: the part of the contract that
 * the preload and the renderer need at run time, kept free of zod so neither bundles it.
 * `contract.ts` gives each of these names its input and output schemas (checked by the compiler).
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** `:name` segments are taken from the input; GET reads the rest from the query string, others from the JSON body. */
  path: string;
  /** Status of a success, when not 200. */
  status?: number;
  /** The answer is a file streamed to the client (a browser download, a save dialog in Electron), not JSON. */
  download?: true;
}

export const routes = {
  'hosts.list': { method: 'GET', path: '/api/v1/hosts' },
  'hosts.add': { method: 'POST', path: '/api/v1/hosts', status: 201 },
  'hosts.test': { method: 'POST', path: '/api/v1/hosts/test' },
  'hosts.contexts': { method: 'GET', path: '/api/v1/hosts/contexts' },
  'hosts.import': { method: 'POST', path: '/api/v1/hosts/import' },
  'hosts.update': { method: 'PATCH', path: '/api/v1/hosts/:id' },
  'hosts.remove': { method: 'DELETE', path: '/api/v1/hosts/:id' },
  'hosts.history': { method: 'GET', path: '/api/v1/hosts/:id/history' },
  'hosts.refresh': { method: 'POST', path: '/api/v1/hosts/:id/refresh' },
  'hosts.containers': { method: 'GET', path: '/api/v1/hosts/:id/containers' },
  'templates.list': { method: 'GET', path: '/api/v1/templates' },
  'templates.create': { method: 'POST', path: '/api/v1/templates', status: 201 },
  'templates.stats': { method: 'GET', path: '/api/v1/templates/stats' },
  'templates.export': { method: 'GET', path: '/api/v1/templates/export', download: true },
  'templates.import': { method: 'POST', path: '/api/v1/templates/import' },
  'templates.get': { method: 'GET', path: '/api/v1/templates/:id' },
  'templates.update': { method: 'PUT', path: '/api/v1/templates/:id' },
  'templates.delete': { method: 'DELETE', path: '/api/v1/templates/:id' },
  'jobs.list': { method: 'GET', path: '/api/v1/jobs' },
  'jobs.export': { method: 'GET', path: '/api/v1/jobs/export', download: true },
  'jobs.bulk': { method: 'POST', path: '/api/v1/jobs/bulk' },
  'jobs.get': { method: 'GET', path: '/api/v1/jobs/:id' },
  'jobs.run': { method: 'POST', path: '/api/v1/jobs', status: 201 },
  'jobs.cancel': { method: 'POST', path: '/api/v1/jobs/:id/cancel' },
  'jobs.retry': { method: 'POST', path: '/api/v1/jobs/:id/retry' },
  'jobs.delete': { method: 'DELETE', path: '/api/v1/jobs/:id' },
  'queue.get': { method: 'GET', path: '/api/v1/queue' },
  'logs.query': { method: 'GET', path: '/api/v1/logs' },
  'logs.count': { method: 'GET', path: '/api/v1/logs/count' },
  'logs.export': { method: 'GET', path: '/api/v1/logs/export', download: true },
  'logs.attachments': { method: 'GET', path: '/api/v1/logs/attachments' },
  'logs.attach': { method: 'POST', path: '/api/v1/logs/:containerId/attach' },
  'logs.detach': { method: 'DELETE', path: '/api/v1/logs/:containerId/attach' },
  'settings.get': { method: 'GET', path: '/api/v1/settings' },
  'settings.update': { method: 'PUT', path: '/api/v1/settings' },
} as const satisfies Record<string, HttpRoute>;

export type RouteName = keyof typeof routes;
/** Operations whose answer is a streamed file. */
export type DownloadName = { [N in RouteName]: (typeof routes)[N] extends { download: true } ? N : never }[RouteName];
/** Operations that answer with JSON. */
export type RequestName = Exclude<RouteName, DownloadName>;

export const routeNames = Object.keys(routes) as RouteName[];
export const isDownload = (name: RouteName): name is DownloadName => 'download' in routes[name];
export const requestNames = routeNames.filter((name) => !isDownload(name)) as RequestName[];
export const downloadNames = routeNames.filter(isDownload);

/** IPC channel names, derived so that no one spells them by hand. */
export const ipcChannels = {
  request: (name: RouteName) => `berth:request:${name}`,
  event: 'berth:event',
  subscribe: 'berth:subscribe',
  unsubscribe: 'berth:unsubscribe',
  stream: 'berth:stream',
} as const;
