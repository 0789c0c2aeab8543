import { Badge, TextLink } from '@grafana/ui';
import type { Harvester } from '@nester/contracts/nester/api';

import { appUrl } from '../../app/route';

/** An enrolment a later one of the same machine (same machine id) replaced: this row is its history. */
export function ReplacedBadge({ harvester }: { harvester: Harvester }) {
  if (!harvester.replacedBy) {
    return null;
  }
  return (
    <div data-testid="replaced-by" title="The same machine (same machine id) enrolled again">
      <Badge color="purple" icon="history" text="replaced" />{' '}
      <TextLink href={appUrl.harvester(harvester.replacedBy)} inline>
        by {harvester.replacedBy}
      </TextLink>
    </div>
  );
}
