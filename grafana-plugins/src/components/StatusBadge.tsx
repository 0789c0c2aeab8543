import { Badge, BadgeColor } from '@grafana/ui';
import type { HarvesterStatus } from '@nester/contracts/nester/api';

const looks: Record<HarvesterStatus, { color: BadgeColor; text: string }> = {
  online: { color: 'green', text: 'Online' },
  offline: { color: 'red', text: 'Offline' },
  revoked: { color: 'purple', text: 'Revoked' },
};

export function StatusBadge({ status }: { status: HarvesterStatus }) {
  const look = looks[status] ?? { color: 'orange', text: status };
  return <Badge color={look.color} text={look.text} data-testid="status-badge" data-status={status} />;
}
