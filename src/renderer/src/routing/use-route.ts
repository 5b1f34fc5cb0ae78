import { useSyncExternalStore } from 'react';
import { parseRoute, routeHref, type Route } from './route';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const getHash = () => window.location.hash;

export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, getHash));
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}
