import { useStyles2 } from '@grafana/ui';
import { ReactNode } from 'react';
import type { Harvester } from '@nester/contracts/nester/api';

import { getTableStyles } from '../../components/tableStyles';
import { absoluteTime, formatBytes } from '../../components/time';
import { osName } from '../fleet/filter';
import { ReplacedBadge } from '../fleet/ReplacedBadge';
import { LabelEditor } from './LabelEditor';

/** What the agent reported about its machine. */
export function Facts({ harvester, onChanged }: { harvester: Harvester; onChanged: () => void }) {
  const styles = useStyles2(getTableStyles);
  const capability = (on?: boolean) => (on === undefined ? 'unknown' : on ? 'available' : 'not available');
  const rows: Array<[string, ReactNode]> = [
    ['Hostname', harvester.hostname],
    ['Harvester id', <code key="id">{harvester.id}</code>],
    ['Machine id', harvester.machineId ? <code key="mid">{harvester.machineId}</code> : '–'],
    ['Operating system', osName(harvester)],
    ['Kernel', harvester.kernel ?? '–'],
    ['Architecture', harvester.arch ?? '–'],
    ['CPUs', harvester.cpus ?? '–'],
    ['Memory', harvester.memoryBytes ? formatBytes(harvester.memoryBytes) : '–'],
    ['Addresses', harvester.addresses?.join(', ') || '–'],
    ['Agent version', harvester.agentVersion ?? '–'],
    ['Remote desktop', capability(harvester.capabilities?.vnc)],
    ['Terminal', capability(harvester.capabilities?.terminal)],
    ['Labels', <LabelEditor key="labels" harvester={harvester} onSaved={onChanged} />],
    ['Enrolled', absoluteTime(harvester.enrolledAt) || '–'],
    ['Last seen', absoluteTime(harvester.lastSeen) || 'never'],
    ...(harvester.revokedAt ? ([['Revoked', absoluteTime(harvester.revokedAt)]] as Array<[string, ReactNode]>) : []),
    ...(harvester.replacedBy
      ? ([['Enrolled again', <ReplacedBadge key="replaced" harvester={harvester} />]] as Array<[string, ReactNode]>)
      : []),
  ];
  return (
    <table className={styles.table} data-testid="harvester-facts">
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row" style={{ width: 200 }}>
              {name}
            </th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
