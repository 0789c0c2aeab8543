import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import type { Harvester } from '@nester/contracts/nester/api';

import { StatusBadge } from '../../components/StatusBadge';
import { absoluteTime, relativeTime } from '../../components/time';
import { osName } from '../fleet/filter';
import { HarvesterActions } from './HarvesterActions';

/** Hostname, status, system, last seen and the actions, above every tab, online or not. */
export function HarvesterHeader({ harvester, onRevoked }: { harvester: Harvester; onRevoked: () => void }) {
  const styles = useStyles2(getStyles);
  const seen = harvester.status === 'online' ? 'online now' : `last seen ${relativeTime(harvester.lastSeen)}`;
  return (
    <div className={styles.header} data-testid="harvester-header">
      <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
        <h2 className={styles.hostname}>{harvester.hostname}</h2>
        <StatusBadge status={harvester.status} />
        <Text color="secondary">
          <span data-testid="harvester-header-facts" title={absoluteTime(harvester.lastSeen)}>
            {osName(harvester)} · {seen}
          </span>
        </Text>
      </Stack>
      <HarvesterActions harvester={harvester} onRevoked={onRevoked} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'center',
    justifyContent: 'space-between',
    marginBottom: theme.spacing(2),
  }),
  hostname: css({ margin: 0 }),
});
