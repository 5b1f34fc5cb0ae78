export type Route = { name: 'jobs' } | { name: 'templates' } | { name: 'job'; id: number } | { name: 'not-found'; path: string };

/** `#/`, `#/templates`, `#/jobs/:id`; anything else is not found. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/jobs') return { name: 'jobs' };
  if (path === '/templates') return { name: 'templates' };
  const job = /^\/jobs\/(\d+)$/.exec(path);
  if (job && Number(job[1]) > 0) return { name: 'job', id: Number(job[1]) };
  return { name: 'not-found', path };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'jobs':
      return '#/';
    case 'templates':
      return '#/templates';
    case 'job':
      return `#/jobs/${route.id}`;
    case 'not-found':
      return `#${route.path}`;
  }
}
