import { Badge, LinkButton, TagList, TextLink, useStyles2 } from '@grafana/ui';
import type { Harvester } from '@nester/contracts/nester/api';
import { compareVersions } from '@nester/contracts/nester/versions';

import { useApp } from '../../app/context';
import { appUrl } from '../../app/route';
import { StatusBadge } from '../../components/StatusBadge';
import { getTableStyles } from '../../components/tableStyles';
import { absoluteTime, formatUptime, relativeTime } from '../../components/time';
import { DeleteButton } from './DeleteButton';
import { SortKey, labelPairs, osName } from './filter';
import { Health } from './health';
import { HealthCell } from './HealthCell';
import { ReplacedBadge } from './ReplacedBadge';
import { RevokeButton } from './RevokeButton';
import { SortHeader } from './SortHeader';

interface Props {
  harvesters: Harvester[];
  /** Harvesters in the whole fleet (0: none enrolled yet). */
  fleetSize: number;
  /** Figures per harvester id from the metrics datasource; undefined while loading or without one. */
  health?: Map<string, Health>;
  /** The harvester version nester serves (install.sh installs it); older agents are marked. */
  latest?: string;
  sort: SortKey;
  descending: boolean;
  onChanged: () => void;
}

const percent = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(1)} %`);
const PAGE_ONLY = 'Sorts the harvesters of this page (figures come from the metrics datasource)';

export function FleetTable({ harvesters, fleetSize, health, latest, sort, descending, onChanged }: Props) {
  const styles = useStyles2(getTableStyles);
  const { can } = useApp();
  if (fleetSize === 0) {
    return (
      <p className={styles.muted}>
        No harvester has enrolled yet. Create an enrolment token on the Enrolment page and run the install command on a
        machine.
      </p>
    );
  }
  if (harvesters.length === 0) {
    return <p className={styles.muted}>No harvester matches these filters.</p>;
  }
  const header = (label: string, key: SortKey, title?: string) => (
    <SortHeader label={label} sortKey={key} current={sort} descending={descending} title={title} />
  );
  return (
    <table className={styles.table} data-testid="fleet-table">
      <thead>
        <tr>
          {header('Hostname', 'hostname')}
          {header('Status', 'status')}
          {header('CPU', 'cpu', PAGE_ONLY)}
          {header('Memory', 'memory', PAGE_ONLY)}
          {header('Fullest disk', 'disk', PAGE_ONLY)}
          {header('Load', 'load', PAGE_ONLY)}
          {header('Uptime', 'uptime', PAGE_ONLY)}
          {header('Last push', 'lastPush', PAGE_ONLY)}
          {header('Last seen', 'lastSeen')}
          {header('Operating system', 'os')}
          <th>Labels</th>
          {header('Agent', 'agentVersion')}
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {harvesters.map((harvester) => {
          const online = harvester.status === 'online';
          const h = health?.get(harvester.id);
          const lastPush = h?.lastSampleMs === undefined ? undefined : new Date(h.lastSampleMs).toISOString();
          return (
            <tr key={harvester.id} data-testid="harvester-row" data-harvester={harvester.id}>
              <td>
                <TextLink href={appUrl.harvester(harvester.id)} inline={false}>
                  {harvester.hostname}
                </TextLink>
                <div className={styles.muted}>{harvester.addresses?.slice(0, 2).join(', ')}</div>
                <ReplacedBadge harvester={harvester} />
              </td>
              <td>
                <StatusBadge status={harvester.status} />
              </td>
              <HealthCell metric="cpuPercent" value={h?.cpuPercent} text={percent(h?.cpuPercent)} testId="health-cpu" />
              <HealthCell
                metric="memoryPercent"
                value={h?.memoryPercent}
                text={percent(h?.memoryPercent)}
                testId="health-memory"
              />
              <HealthCell
                metric="diskPercent"
                value={h?.diskPercent}
                text={percent(h?.diskPercent)}
                title={h?.diskMountpoint && `${h.diskMountpoint} (used / (used + available), as df)`}
                testId="health-disk"
              />
              <HealthCell
                metric="loadPerCpu"
                value={h?.load1}
                judged={h?.loadPerCpu}
                text={h?.load1?.toFixed(2) ?? ''}
                title={h?.loadPerCpu === undefined ? undefined : `${h.loadPerCpu.toFixed(2)} per CPU`}
                testId="health-load"
              />
              <td className={styles.nowrap} data-testid="health-uptime">
                {formatUptime(h?.uptimeSeconds)}
              </td>
              <td className={styles.nowrap} data-testid="health-last-push" title={absoluteTime(lastPush)}>
                {lastPush ? relativeTime(lastPush) : '–'}
              </td>
              <td className={styles.nowrap} title={absoluteTime(harvester.lastSeen)}>
                {online ? 'now' : relativeTime(harvester.lastSeen)}
              </td>
              <td>{osName(harvester)}</td>
              <td>{labelPairs(harvester).length > 0 ? <TagList tags={labelPairs(harvester)} /> : null}</td>
              <td className={styles.muted}>
                {harvester.agentVersion}
                {latest && harvester.agentVersion && compareVersions(harvester.agentVersion, latest) < 0 && (
                  <div
                    data-testid="agent-outdated"
                    title={`nester serves harvester ${latest}: re-run the install command to upgrade`}
                  >
                    <Badge color="orange" icon="arrow-up" text={`${latest} available`} />
                  </div>
                )}
              </td>
              <td>
                <div className={styles.actions}>
                  {can('Editor') && harvester.capabilities?.vnc !== false && (
                    <LinkButton
                      size="sm"
                      variant="secondary"
                      icon="monitor"
                      disabled={!online}
                      href={appUrl.harvester(harvester.id, 'desktop')}
                    >
                      Desktop
                    </LinkButton>
                  )}
                  {can('Admin') && harvester.capabilities?.terminal !== false && (
                    <LinkButton
                      size="sm"
                      variant="secondary"
                      icon="brackets-curly"
                      disabled={!online}
                      href={appUrl.harvester(harvester.id, 'terminal')}
                    >
                      Terminal
                    </LinkButton>
                  )}
                  <RevokeButton harvester={harvester} onRevoked={onChanged} />
                  <DeleteButton harvester={harvester} onDeleted={onChanged} />
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
