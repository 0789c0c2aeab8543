import { QueryEditorProps } from '@grafana/data';
import { Alert, RadioButtonGroup, Stack } from '@grafana/ui';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';

import type { TimescaleDataSource } from '../datasource';
import { parseExpr } from '../query/parseExpr';
import { QueryMode, TimescaleOptions, TimescaleQuery } from '../types';
import { BuilderEditor } from './BuilderEditor';
import { SqlEditor } from './SqlEditor';

type Props = QueryEditorProps<TimescaleDataSource, TimescaleQuery, TimescaleOptions>;

const MODES = [
  { label: 'Builder', value: 'builder' as const, description: 'Metric, labels, function, aggregation' },
  { label: 'SQL', value: 'sql' as const, description: 'One SELECT with Grafana macros' },
];

/** A PromQL `expr` (from the fleet app or a Prometheus query) read into builder fields, if it can be. */
function useExprAsFields(query: TimescaleQuery, onChange: (query: TimescaleQuery) => void): string | undefined {
  const parsed = useMemo(() => {
    if (!query.expr?.trim()) {
      return undefined;
    }
    try {
      return { fields: parseExpr(query.expr) };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }, [query.expr]);
  // Once per expression: the query and onChange of that moment are the ones to convert, so they
  // are read from a ref (updated before the effect runs), not dependencies.
  const latest = useRef({ query, onChange });
  useLayoutEffect(() => {
    latest.current = { query, onChange };
  });
  useEffect(() => {
    if (parsed?.fields) {
      latest.current.onChange({ ...latest.current.query, ...parsed.fields, expr: undefined });
    }
  }, [parsed]);
  return parsed?.error;
}

export function QueryEditor({ datasource, query, onChange, onRunQuery }: Props) {
  const mode: QueryMode = query.mode ?? 'builder';
  const exprError = useExprAsFields(query, onChange);
  return (
    <Stack direction="column" gap={1}>
      <div data-testid="timescale-query-editor" data-mode={mode}>
        <RadioButtonGroup
          size="sm"
          options={MODES}
          value={mode}
          onChange={(next) => {
            onChange({ ...query, mode: next });
            onRunQuery();
          }}
        />
      </div>
      {exprError && (
        <Alert severity="warning" title="This PromQL expression cannot be edited in the builder">
          {query.expr}: {exprError}
        </Alert>
      )}
      {mode === 'sql' ? (
        <SqlEditor sql={query.sql ?? ''} onChange={(sql) => onChange({ ...query, sql })} onRunQuery={onRunQuery} />
      ) : (
        <BuilderEditor datasource={datasource} query={query} onChange={onChange} onRunQuery={onRunQuery} />
      )}
    </Stack>
  );
}
