export type Route =
  | { name: 'jobs' }
  | { name: 'templates' }
  /** `line`: open the log at this line id and highlight it. */
  | { name: 'job'; id: number; line?: number }
  /** The Logs page's search; `query` is its form as a query string (see logs/log-search.ts). */
  | { name: 'logs'; query: string }
  /** The Logs page's merged live view of several sources (`job:12`, `container:3f2a…`). */
  | { name: 'live'; sources: string[] }
  | { name: 'containers' }
  | { name: 'container'; id: string; line?: number }
  | { name: 'settings' }
  | { name: 'hosts' }
  | { name: 'not-found'; path: string };

/**
 * `#/`, `#/templates`, `#/jobs/:id[?line=]`, `#/logs[?…]`, `#/logs/live?source=…`, `#/containers`,
 * `#/containers/:id[?line=]`, `#/settings`, `#/hosts`; anything else is not found.
 */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '') || '/';
  const query = q < 0 ? '' : raw.slice(q + 1);
  const params = new URLSearchParams(query);
  if (path === '/' || path === '/jobs') return { name: 'jobs' };
  if (path === '/templates') return { name: 'templates' };
  if (path === '/logs') return { name: 'logs', query: params.toString() };
  if (path === '/logs/live') return { name: 'live', sources: params.getAll('source').filter(Boolean) };
  if (path === '/containers') return { name: 'containers' };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/hosts') return { name: 'hosts' };
  const job = /^\/jobs\/(\d+)$/.exec(path);
  if (job && Number(job[1]) > 0) return { name: 'job', id: Number(job[1]), ...lineParam(params) };
  const container = /^\/containers\/([0-9a-f]{12,64})$/i.exec(path);
  if (container) return { name: 'container', id: container[1]!.toLowerCase(), ...lineParam(params) };
  return { name: 'not-found', path };
}

function lineParam(params: URLSearchParams): { line?: number } {
  const line = params.get('line');
  return line && /^\d+$/.test(line) && Number(line) > 0 ? { line: Number(line) } : {};
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'jobs':
      return '#/';
    case 'templates':
      return '#/templates';
    case 'job':
      return `#/jobs/${route.id}${route.line ? `?line=${route.line}` : ''}`;
    case 'logs':
      return route.query ? `#/logs?${route.query}` : '#/logs';
    case 'live': {
      const params = new URLSearchParams();
      for (const source of route.sources) params.append('source', source);
      const query = params.toString();
      return query ? `#/logs/live?${query}` : '#/logs/live';
    }
    case 'containers':
      return '#/containers';
    case 'container':
      return `#/containers/${route.id}${route.line ? `?line=${route.line}` : ''}`;
    case 'settings':
      return '#/settings';
    case 'hosts':
      return '#/hosts';
    case 'not-found':
      return `#${route.path}`;
  }
}
