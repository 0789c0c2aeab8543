/** Plugin ids (Grafana requires <org>-<name>-<type>, no extra hyphens). */
export const APP_ID = 'nester-fleet-app';
export const REMOTE_DESKTOP_PANEL_ID = 'nester-remotedesktop-panel';
export const TERMINAL_PANEL_ID = 'nester-terminal-panel';

/** Relative, so Grafana's appSubUrl is respected by the backend service. */
export const PROXY_BASE = `api/plugin-proxy/${APP_ID}`;
export const APP_SETTINGS_URL = `api/plugins/${APP_ID}/settings`;

/** App page paths under /a/<app id>/. */
export const APP_ROOT = `/a/${APP_ID}`;
export const CONFIG_PAGE = `/plugins/${APP_ID}`;
