// The provisioned dashboards and the files they are written to (dashboards/nester/<file>).
import type { Dashboard } from '@grafana/schema';

import { fleetOverviewDashboard } from './fleetOverview';
import { harvesterDashboard } from './harvester';

export const DASHBOARD_FILES: Record<string, () => Dashboard> = {
  'fleet-overview.json': fleetOverviewDashboard,
  'harvester.json': harvesterDashboard,
};
