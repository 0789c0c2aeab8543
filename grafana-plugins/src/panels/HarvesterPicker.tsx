import { SelectableValue, StandardEditorProps } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Select } from '@grafana/ui';
import { useCallback, useEffect, useState } from 'react';

import { nester } from '../api/client';
import { useAsync } from '../components/useAsync';
import { harvesterChoices } from './harvesterChoices';

const SEARCH_DELAY_MS = 250;

/**
 * The Harvester option of the panels: dashboard variables first, then the harvesters nester finds
 * for what is typed (hostname, id, address or label), and any typed value kept as it is (an id, a
 * hostname, `${host}`): the panel resolves it with the dashboard's variables applied.
 */
export function HarvesterPicker({ value, onChange }: StandardEditorProps<string>) {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        // A variable names no harvester: do not search for its text.
        search.startsWith('$')
          ? Promise.resolve([])
          : nester.pageHarvesters({ q: search || undefined, limit: 20 }, signal).then((list) => list.harvesters),
      [search],
    ),
  );
  const variables = getTemplateSrv()
    .getVariables()
    .map((variable) => variable.name);
  const options = harvesterChoices(variables, found.value ?? [], value);
  const current = options.find((option) => option.value === value) ?? null;
  return (
    <Select<string>
      inputId="harvester-picker"
      options={options}
      value={current}
      isLoading={found.loading}
      isClearable
      allowCustomValue
      // nester already matched hostname, id, address and labels; the label text alone would hide those.
      filterOption={(option: SelectableValue<string>, query: string) =>
        option.value?.startsWith('$') ? option.value.toLowerCase().includes(query.toLowerCase()) : true
      }
      placeholder="$host, a hostname or a harvester id"
      noOptionsMessage={
        found.error !== undefined ? 'nester did not answer; type an id or hostname' : 'No harvester found'
      }
      onInputChange={(text, meta) => {
        if (meta.action === 'input-change') {
          setTyped(text);
        }
      }}
      onChange={(choice) => onChange(choice?.value ?? '')}
      onCreateOption={(text) => onChange(text.trim())}
    />
  );
}
