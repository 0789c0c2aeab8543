// A community dashboard's queries as data for the dashboard differential test: the source it was
// rendered from, its $instance variable and its Prometheus targets, Grafana's variables
// ($instance, $__interval, $__rate_interval) still in the text.

export interface DashboardTarget {
  panel: string;
  expr: string;
  /** The target's minimum interval ("interval" in the panel JSON): the floor of $__interval and of the step. */
  interval?: string;
  /** Grafana's "resolution" (intervalFactor): the step is the panel interval times this. */
  intervalFactor?: number;
}

export interface Dashboard {
  /** Repository, path and commit it was rendered from. */
  source: string;
  /** The series selector of the $instance variable's label_values(…, instance). */
  instanceMatch: string;
  targets: DashboardTarget[];
}
