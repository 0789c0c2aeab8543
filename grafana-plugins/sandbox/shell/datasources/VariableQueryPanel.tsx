import { CustomVariableSupport, DataQuery, DataQueryRequest, DataSourceApi, VariableSupportType } from '@grafana/data';
import { Alert, Button, Stack } from '@grafana/ui';
import { useState } from 'react';
import { lastValueFrom } from 'rxjs';

import { queryRequest } from './queryRequest';
import { responseValues } from './variableValues';

/** A template variable of this datasource: its editor (CustomVariableSupport) and the values it lists. */
export function VariableQueryPanel({ ds }: { ds: DataSourceApi }) {
  const support = ds.variables;
  const [query, setQuery] = useState<DataQuery>({ refId: 'variable' });
  const [values, setValues] = useState<string[]>();
  const [error, setError] = useState<string>();
  if (!support || support.getType() !== VariableSupportType.Custom) {
    return <Alert severity="info" title="This datasource has no custom variable support" />;
  }
  const custom = support as CustomVariableSupport<DataSourceApi>;
  const Editor = custom.editor;
  const run = async () => {
    setError(undefined);
    try {
      const request = { ...queryRequest(ds, query, '1h', 900), targets: [query] } as DataQueryRequest;
      const response = await lastValueFrom(custom.query(request));
      setValues(responseValues(response));
    } catch (err) {
      setValues(undefined);
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Stack direction="column" gap={2}>
      <Editor datasource={ds} query={query} onChange={setQuery} onRunQuery={() => void run()} />
      <div>
        <Button size="sm" onClick={() => void run()}>
          Run variable query
        </Button>
      </div>
      {error && (
        <Alert severity="error" title="Variable query failed" data-testid="variable-error">
          {error}
        </Alert>
      )}
      {values && (
        <ul data-testid="variable-values" data-count={values.length}>
          {values.map((value) => (
            <li key={value}>{value}</li>
          ))}
        </ul>
      )}
    </Stack>
  );
}
