/** The app's jsonData (secureJsonData holds apiToken and is never sent to the browser). */
export interface AppSettings {
  /** Where Grafana's server reaches nester (used by the proxy routes). */
  nesterUrl?: string;
  /** Browser-facing WebSocket URL of nester's session endpoint; empty = use the URL nester returns. */
  websocketUrl?: string;
  /** Nester URL agents enrol against (install command); empty = nesterUrl. */
  enrollUrl?: string;
  /** Optional Prometheus-compatible datasource for the harvester page's recent metrics. */
  metricsDatasourceUid?: string;
  /** PromQL label matcher that selects one harvester's series; ${hostname} and ${id} are replaced. */
  metricsSelector?: string;
}
