import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { HarvesterFacets, HarvesterStatus } from '@nester/contracts/nester/api';

import { setQuery } from '../../app/route';
import { HealthCounts } from './thresholds';

interface Props {
  facets: HarvesterFacets;
  outdated: number;
  latest?: string;
  /** Whole-fleet counts of high figures; undefined while loading or without a metrics datasource. */
  high?: HealthCounts;
  highState: 'loading' | 'ready' | 'error' | 'no-datasource';
  /** Whether the high counts cover the fleet or, for a large one, the page shown. */
  highScope: 'fleet' | 'page';
  status?: HarvesterStatus;
}

/** The fleet at a glance: presence, outdated agents, machines past their thresholds. */
export function FleetSummary({ facets, outdated, latest, high, highState, highScope, status }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const red = theme.visualization.getColorByName('red');
  const green = theme.visualization.getColorByName('green');
  const statusCard = (key: HarvesterStatus, label: string, colour: string) => (
    <button
      type="button"
      className={cx(styles.card, status === key && styles.selected)}
      data-testid={`summary-${key}`}
      data-count={facets.status[key]}
      onClick={() => setQuery({ status: status === key ? undefined : key, page: undefined })}
      title={status === key ? 'Show every status' : `Show only ${label.toLowerCase()} harvesters`}
    >
      <span className={styles.value} style={{ color: facets.status[key] ? colour : undefined }}>
        {facets.status[key]}
      </span>
      <span className={styles.label}>{label}</span>
    </button>
  );
  const highCard = (key: keyof Omit<HealthCounts, 'reporting'>, label: string, title: string) => {
    const count = high?.[key];
    const text = highState === 'ready' ? String(count ?? 0) : highState === 'loading' ? '…' : '–';
    return (
      <div
        className={styles.card}
        data-testid={`summary-high-${key}`}
        data-count={count ?? ''}
        data-scope={highScope}
        title={
          highScope === 'page' ? `${title} (of the machines on this page: the fleet is too large for one query)` : title
        }
      >
        <span className={styles.value} style={{ color: count ? red : highState === 'ready' ? green : undefined }}>
          {text}
        </span>
        <span className={styles.label}>{highScope === 'page' ? `${label} on this page` : label}</span>
      </div>
    );
  };
  const why =
    highState === 'no-datasource'
      ? 'Choose the metrics datasource in the app configuration'
      : highState === 'error'
        ? 'The metrics datasource did not answer'
        : undefined;
  return (
    <div className={styles.strip} data-testid="fleet-summary">
      {statusCard('online', 'Online', green)}
      {statusCard('offline', 'Offline', red)}
      {statusCard('revoked', 'Revoked', theme.visualization.getColorByName('purple'))}
      <div
        className={styles.card}
        data-testid="summary-outdated"
        data-count={outdated}
        title={latest ? `Agents older than ${latest}, the release nester serves` : 'nester serves no release'}
      >
        <span
          className={styles.value}
          style={{ color: outdated ? theme.visualization.getColorByName('orange') : undefined }}
        >
          {latest ? outdated : '–'}
        </span>
        <span className={styles.label}>Agents outdated</span>
      </div>
      {highCard('cpu', 'CPU ≥ 80 %', why ?? 'Machines whose CPU was busy 80 % or more over the last 5 minutes')}
      {highCard('memory', 'Memory ≥ 80 %', why ?? 'Machines using 80 % of their memory or more')}
      {highCard('disk', 'Disk ≥ 80 %', why ?? 'Machines with a filesystem 80 % full or more (as df counts it)')}
      {highCard('load', 'Load ≥ CPUs', why ?? 'Machines whose 1-minute load is at least their number of CPUs')}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  strip: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) }),
  card: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    minWidth: 120,
    padding: theme.spacing(1, 2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    color: theme.colors.text.primary,
    font: 'inherit',
    textAlign: 'left',
  }),
  selected: css({ borderColor: theme.colors.primary.border, background: theme.colors.action.selected }),
  value: css({ fontSize: theme.typography.h3.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  label: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
