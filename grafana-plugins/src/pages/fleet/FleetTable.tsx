import { Badge, LinkButton, TagList, TextLink, useStyles2 } from '@grafana/ui';
import type { Harvester } from '@nester/contracts/nester/api';
import { compareVersions } from '@nester/contracts/nester/versions';

import { useApp } from '../../app/context';
import { appUrl } from '../../app/route';
import { StatusBadge } from '../../components/StatusBadge';
import { getTableStyles } from '../../components/tableStyles';
import { absoluteTime, relativeTime } from '../../components/time';
import { labelPairs, osName } from './filter';
import { DeleteButton } from './DeleteButton';
import { ReplacedBadge } from './ReplacedBadge';
import { RevokeButton } from './RevokeButton';

interface Props {
  harvesters: Harvester[];
  total: number;
  /** The harvester version nester serves (install.sh installs it); older agents are marked. */
  latest?: string;
  onChanged: () => void;
}

export function FleetTable({ harvesters, total, latest, onChanged }: Props) {
  const styles = useStyles2(getTableStyles);
  const { can } = useApp();
  if (total === 0) {
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
  return (
    <table className={styles.table} data-testid="fleet-table">
      <thead>
        <tr>
          <th>Hostname</th>
          <th>Status</th>
          <th>Last seen</th>
          <th>Operating system</th>
          <th>Labels</th>
          <th>Agent</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {harvesters.map((harvester) => {
          const online = harvester.status === 'online';
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
