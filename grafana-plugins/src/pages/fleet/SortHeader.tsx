import { Icon } from '@grafana/ui';

import { setQuery } from '../../app/route';
import { SortKey } from './filter';

/** A column header that sorts the fleet by its column; clicking it again reverses the order. */
export function SortHeader({
  label,
  sortKey,
  current,
  descending,
  title,
}: {
  label: string;
  sortKey: SortKey;
  current: SortKey;
  descending: boolean;
  title?: string;
}) {
  const active = current === sortKey;
  return (
    <th aria-sort={active ? (descending ? 'descending' : 'ascending') : undefined} title={title}>
      <button
        type="button"
        data-testid={`sort-${sortKey}`}
        onClick={() => setQuery({ sort: sortKey, desc: active && !descending ? '1' : undefined, page: undefined })}
        style={{ all: 'inherit', cursor: 'pointer', padding: 0, border: 0, whiteSpace: 'nowrap' }}
      >
        {label} {active && <Icon name={descending ? 'arrow-up' : 'arrow-down'} size="sm" />}
      </button>
    </th>
  );
}
