/** The REST routes, compiled from the contract's route table: nobody writes a route by hand. */
import { routes, type RouteName } from '../../shared/operations';
import { BerthError } from '../../shared/errors';

export interface Route {
  name: RouteName;
  method: string;
  pattern: RegExp;
  keys: string[];
  status: number;
  /** The answer is a streamed file. */
  download: boolean;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

export function compileRoutes(): Route[] {
  return (Object.keys(routes) as RouteName[]).map((name) => {
    const { method, path, status, download } = routes[name] as { method: string; path: string; status?: number; download?: true };
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(seg.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return { name, method, pattern: new RegExp(`^${source}/?$`), keys, status: status ?? 200, download: download === true };
  });
}

export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.keys.forEach((key, i) => {
      try {
        params[key] = decodeURIComponent(m[i + 1]!);
      } catch {
        throw new BerthError('bad_request', `${key}: not a valid URL path segment`);
      }
    });
    return { kind: 'found', route, params };
  }
  return allowed.length ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}
