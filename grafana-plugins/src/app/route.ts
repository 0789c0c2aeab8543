import { locationService } from '@grafana/runtime';
import { useEffect, useState } from 'react';

import { APP_ROOT } from '../constants';

export interface AppRoute {
  /** Path segments below the app root, e.g. ["harvesters", "h_1"]. */
  segments: string[];
  query: URLSearchParams;
}

export function parseRoute(pathname: string, search: string, root: string = APP_ROOT): AppRoute {
  const rest = pathname.startsWith(root) ? pathname.slice(root.length) : pathname;
  return {
    segments: rest
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment)),
    query: new URLSearchParams(search),
  };
}

/** The app's current page from Grafana's location service (no router of our own to keep in sync). */
export function useAppRoute(basename: string): AppRoute {
  const current = () => {
    const location = locationService.getLocation();
    return parseRoute(location.pathname, location.search, basename || APP_ROOT);
  };
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const subscription = locationService
      .getLocationObservable()
      .subscribe((location) => setRoute(parseRoute(location.pathname, location.search, basename || APP_ROOT)));
    return () => subscription.unsubscribe();
  }, [basename]);
  return route;
}

export const appUrl = {
  fleet: () => `${APP_ROOT}/fleet`,
  harvester: (id: string, tab?: string) =>
    `${APP_ROOT}/harvesters/${encodeURIComponent(id)}${tab ? `?tab=${encodeURIComponent(tab)}` : ''}`,
  sessions: (filters: Record<string, string> = {}) => {
    const query = new URLSearchParams(filters).toString();
    return `${APP_ROOT}/sessions${query ? `?${query}` : ''}`;
  },
  enrolment: () => `${APP_ROOT}/enrolment`,
};

/** Changes query parameters of the current page without a new history entry. */
export function setQuery(values: Record<string, string | undefined>) {
  locationService.partial(
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === '' ? undefined : value])),
    true,
  );
}
