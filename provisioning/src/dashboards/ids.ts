// The names the provisioning files and the dashboards share: plugin ids (as in the plugins'
// plugin.json, which the tests compare), the metrics datasource's uid and the dashboards' uids.

export const FLEET_APP_ID = 'nester-fleet-app';
export const REMOTE_DESKTOP_PANEL_ID = 'nester-remotedesktop-panel';
export const TERMINAL_PANEL_ID = 'nester-terminal-panel';
export const METRICS_DATASOURCE_TYPE = 'nester-timescale-datasource';

/** The provisioned metrics datasource's uid: dashboards and the app's settings name it. */
export const METRICS_DATASOURCE_UID = 'nester-metrics';

export const METRICS_DATASOURCE = { type: METRICS_DATASOURCE_TYPE, uid: METRICS_DATASOURCE_UID };

export const FLEET_OVERVIEW_UID = 'nester-fleet-overview';
export const HARVESTER_UID = 'nester-harvester';

/** Grafana's dashboard URL (/d/<uid>/<slug>) and the fleet app's Fleet page, for links. */
export const HARVESTER_DASHBOARD_URL = `/d/${HARVESTER_UID}/harvester`;
export const FLEET_OVERVIEW_URL = `/d/${FLEET_OVERVIEW_UID}/fleet-overview`;
export const FLEET_APP_URL = `/a/${FLEET_APP_ID}/fleet`;
/** The fleet app's page of one harvester: append /<harvester id>. */
export const FLEET_APP_HARVESTER_URL = `/a/${FLEET_APP_ID}/harvesters`;
