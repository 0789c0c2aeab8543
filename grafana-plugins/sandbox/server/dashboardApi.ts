import { ServerResponse } from 'node:http';
import path from 'node:path';

import { HttpError, sendJson } from './http';
import { ProvisionedDashboard } from './provisioningDir';

/** Grafana's slug of a title, as in /d/<uid>/<slug>. */
export function slugOf(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'dashboard'
  );
}

const urlOf = (dashboard: ProvisionedDashboard) => `/d/${dashboard.uid}/${slugOf(dashboard.title)}`;

/**
 * Grafana's dashboard API for provisioned dashboards (read-only, as with allowUiUpdates: false):
 * GET /api/search (dash-db hits) and GET /api/dashboards/uid/:uid. Answers false for any other path.
 */
export function handleDashboardApi(
  res: ServerResponse,
  method: string,
  url: URL,
  dashboards: ProvisionedDashboard[],
): boolean {
  if (url.pathname === '/api/search') {
    const query = (url.searchParams.get('query') ?? '').toLowerCase();
    const type = url.searchParams.get('type');
    const hits =
      type && type !== 'dash-db'
        ? []
        : dashboards
            .filter((dashboard) => dashboard.title.toLowerCase().includes(query))
            .map((dashboard) => ({
              uid: dashboard.uid,
              title: dashboard.title,
              url: urlOf(dashboard),
              type: 'dash-db',
              tags: Array.isArray(dashboard.dashboard.tags) ? dashboard.dashboard.tags : [],
              folderTitle: dashboard.folder,
            }));
    sendJson(res, 200, hits);
    return true;
  }
  const match = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
  if (!match) {
    return false;
  }
  if (method !== 'GET') {
    throw new HttpError(403, 'Cannot save provisioned dashboard');
  }
  let uid: string;
  try {
    uid = decodeURIComponent(match[1]);
  } catch {
    throw new HttpError(400, 'malformed percent-escape in the dashboard uid');
  }
  const dashboard = dashboards.find((d) => d.uid === uid);
  if (!dashboard) {
    throw new HttpError(404, 'Dashboard not found');
  }
  sendJson(res, 200, {
    dashboard: { ...dashboard.dashboard, uid: dashboard.uid },
    meta: {
      slug: slugOf(dashboard.title),
      url: urlOf(dashboard),
      folderTitle: dashboard.folder,
      provisioned: true,
      provisionedExternalId: path.basename(dashboard.file),
      canSave: false,
      canEdit: false,
    },
  });
  return true;
}
