import { LinkButton, Stack } from '@grafana/ui';
import type { Harvester } from '@nester/contracts/nester/api';

import { useApp } from '../../app/context';
import { appUrl } from '../../app/route';
import { RevokeButton } from '../fleet/RevokeButton';

/**
 * What an operator does with a machine, in the header of every tab of its page: desktop and
 * terminal (disabled, saying why, while it is not online), its sessions, revoke.
 */
export function HarvesterActions({ harvester, onRevoked }: { harvester: Harvester; onRevoked: () => void }) {
  const { can } = useApp();
  const online = harvester.status === 'online';
  const why = (what: string, role: 'Editor' | 'Admin', offered: boolean | undefined) =>
    !can(role)
      ? `Opening a ${what} needs the ${role} role`
      : !online
        ? `${harvester.hostname} is ${harvester.status}`
        : offered === false
          ? `${harvester.hostname} does not offer a ${what}`
          : `Open a ${what} on ${harvester.hostname}`;
  const usable = (role: 'Editor' | 'Admin', offered: boolean | undefined) => can(role) && online && offered !== false;
  return (
    <div data-testid="harvester-actions">
      <Stack direction="row" gap={1} wrap="wrap">
        <LinkButton
          variant="secondary"
          icon="monitor"
          href={appUrl.harvester(harvester.id, 'desktop')}
          disabled={!usable('Editor', harvester.capabilities?.vnc)}
          tooltip={why('remote desktop', 'Editor', harvester.capabilities?.vnc)}
        >
          Desktop
        </LinkButton>
        <LinkButton
          variant="secondary"
          icon="brackets-curly"
          href={appUrl.harvester(harvester.id, 'terminal')}
          disabled={!usable('Admin', harvester.capabilities?.terminal)}
          tooltip={why('terminal', 'Admin', harvester.capabilities?.terminal)}
        >
          Terminal
        </LinkButton>
        {can('Editor') && (
          <LinkButton variant="secondary" icon="history" href={appUrl.sessions({ harvesterId: harvester.id })}>
            Sessions
          </LinkButton>
        )}
        <RevokeButton harvester={harvester} onRevoked={onRevoked} />
      </Stack>
    </div>
  );
}
