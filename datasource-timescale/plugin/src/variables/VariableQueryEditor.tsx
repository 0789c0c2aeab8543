import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, Select } from '@grafana/ui';

import type { TimescaleDataSource } from '../datasource';
import { TimescaleOptions, TimescaleQuery } from '../types';
import { VariableQuery, VariableQueryKind, normaliseVariableQuery } from './variableQuery';

type Props = QueryEditorProps<TimescaleDataSource, TimescaleQuery, TimescaleOptions, VariableQuery>;

const KINDS: Array<SelectableValue<VariableQueryKind>> = [
  { label: 'Label values', value: 'labelValues', description: 'e.g. every instance: for $instance' },
  { label: 'Label names', value: 'labelNames' },
  { label: 'Metric names', value: 'metricNames' },
];

/** The variable editor: what to list, and optionally of which series (dashboard variables allowed). */
export function VariableQueryEditor({ query: stored, onChange }: Props) {
  let query: VariableQuery;
  try {
    query = normaliseVariableQuery(stored);
  } catch {
    query = { refId: 'variable', kind: 'labelValues' };
  }
  const change = (next: Partial<VariableQuery>) => onChange({ ...query, ...next });
  return (
    <div data-testid="timescale-variable-editor">
      <InlineFieldRow>
        <InlineField label="List" labelWidth={16}>
          <Select
            aria-label="Variable query kind"
            width={24}
            value={query.kind}
            options={KINDS}
            onChange={(choice) => change({ kind: choice.value ?? 'labelValues' })}
          />
        </InlineField>
        {query.kind === 'labelValues' && (
          <InlineField label="Label">
            <Input
              aria-label="Variable label"
              width={24}
              placeholder="instance"
              defaultValue={query.label ?? ''}
              onBlur={(e) => change({ label: e.currentTarget.value.trim() })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField
          label="Of series"
          labelWidth={16}
          tooltip='A series selector, e.g. node_uname_info{job="$job"}; empty for every series'
        >
          <Input
            aria-label="Variable series selector"
            width={60}
            placeholder='node_uname_info{job="node"}'
            defaultValue={query.match ?? ''}
            onBlur={(e) => change({ match: e.currentTarget.value.trim() || undefined })}
          />
        </InlineField>
      </InlineFieldRow>
    </div>
  );
}
