import { SelectableValue } from '@grafana/data';
import type { Harvester } from '@nester/contracts/nester/api';

import { labelPairs } from '../pages/fleet/filter';

/**
 * The picker's options: `$variable` for each dashboard variable, then each harvester found
 * (hostname, with id, status and labels to tell machines apart; the id is what is stored, so a
 * renamed machine stays the panel's), and the current value if it is neither (a typed hostname).
 */
export function harvesterChoices(
  variables: string[],
  harvesters: Harvester[],
  current: string | undefined,
): Array<SelectableValue<string>> {
  const options: Array<SelectableValue<string>> = [
    ...variables.map((name) => ({ label: `$${name}`, value: `$${name}`, description: 'Dashboard variable' })),
    ...harvesters.map((h) => ({
      label: h.hostname || h.id,
      value: h.id,
      description: [h.id, h.status, ...labelPairs(h)].join(' · '),
    })),
  ];
  if (current && !options.some((option) => option.value === current)) {
    options.unshift({ label: current, value: current });
  }
  return options;
}
