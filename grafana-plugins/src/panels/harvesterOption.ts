import { InterpolateFunction } from '@grafana/data';

/**
 * The harvester a panel shows, with dashboard variables applied. A multi-value variable
 * names several machines; a panel shows one, the first.
 */
export function harvesterFromOption(value: string | undefined, replaceVariables: InterpolateFunction): string {
  if (!value) {
    return '';
  }
  const firstValue = (current: string | string[]) => (Array.isArray(current) ? (current[0] ?? '') : current);
  return replaceVariables(value, undefined, firstValue).trim();
}

export const harvesterOptionDescription =
  'Pick a machine (search by hostname, id, address or label), a dashboard variable such as $harvester over the harvester_id label, or type an id; a multi-value variable uses its first value.';
