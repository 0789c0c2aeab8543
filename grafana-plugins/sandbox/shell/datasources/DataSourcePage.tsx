import { CoreApp, DataQuery, DataQueryResponse, DataSourceApi, LoadingState, TimeRange } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, Button, ErrorBoundaryAlert, RadioButtonGroup, Stack, Tab, TabContent, TabsBar } from '@grafana/ui';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { from } from 'rxjs';

import { LoadError } from '../pages/LoadError';
import { VariablesEditor } from '../pages/VariablesEditor';
import { sandboxTemplateSrv } from '../templateSrv';
import { variablesFromQuery } from '../variables';
import { QueryPreview } from './QueryPreview';
import { RANGES, queryRequest, relativeTimeRange } from './queryRequest';
import { useDataSource } from './useDataSource';
import { VariableQueryPanel } from './VariableQueryPanel';

const WIDTH = 900;

function initialQuery(text: string | null, ds: DataSourceApi): DataQuery {
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    const saved = parsed && typeof parsed === 'object' ? (parsed as Partial<DataQuery>) : {};
    return { ...ds.getDefaultQuery?.(CoreApp.Explore), ...saved, refId: saved.refId ?? 'A' };
  } catch {
    return { ...ds.getDefaultQuery?.(CoreApp.Explore), refId: 'A' };
  }
}

/** Explore, in short: the datasource's query editor, a time range, and what the query gives. */
function QueryTab({ ds, search }: { ds: DataSourceApi; search: URLSearchParams }) {
  const [query, setQuery] = useState<DataQuery>(() => initialQuery(search.get('query'), ds));
  const [range, setRange] = useState(search.get('range') ?? '1h');
  const [result, setResult] = useState<{ response: DataQueryResponse; timeRange: TimeRange; state: LoadingState }>();
  // The query to run: the editor's onChange keeps it current for run, which a timer may call.
  const latest = useRef(query);
  const Editor = ds.components?.QueryEditor;
  // Grafana gives editors the dashboard's time range (label and metric lookups are bound to it).
  const editorRange = useMemo(() => relativeTimeRange(range), [range]);

  const run = useCallback(() => {
    const request = queryRequest(ds, latest.current, range, WIDTH);
    setResult((previous) => ({
      response: previous?.response ?? { data: [] },
      timeRange: request.range,
      state: LoadingState.Loading,
    }));
    const subscription = from(ds.query(request)).subscribe({
      next: (response) => setResult({ response, timeRange: request.range, state: LoadingState.Done }),
      error: (err: unknown) =>
        setResult({
          response: { data: [], errors: [{ message: err instanceof Error ? err.message : String(err) }] },
          timeRange: request.range,
          state: LoadingState.Error,
        }),
    });
    return () => subscription.unsubscribe();
  }, [ds, range]);

  useEffect(() => {
    // Grafana runs a query when the editor opens with one that can run.
    if (!ds.filterQuery || ds.filterQuery(latest.current)) {
      run();
    }
  }, [ds, run]);

  if (!Editor) {
    return <Alert title="This datasource has no query editor" severity="warning" />;
  }
  return (
    <Stack direction="column" gap={2}>
      <ErrorBoundaryAlert>
        <Editor
          datasource={ds}
          // Grafana tells editors where they are; this page is Explore's stand-in (its default query too).
          app={CoreApp.Explore}
          range={editorRange}
          query={query}
          onChange={(next: DataQuery) => {
            latest.current = next;
            setQuery(next);
          }}
          onRunQuery={() => setTimeout(run)}
          data={undefined}
        />
      </ErrorBoundaryAlert>
      <Stack direction="row" gap={1} alignItems="center">
        <RadioButtonGroup
          size="sm"
          options={RANGES.map((r) => ({ label: `Last ${r}`, value: r }))}
          value={range}
          onChange={setRange}
        />
        <Button size="sm" icon="sync" onClick={run}>
          Run query
        </Button>
        <span data-testid="query-state">{result?.state ?? 'not run'}</span>
      </Stack>
      {result && <QueryPreview response={result.response} timeRange={result.timeRange} width={WIDTH} />}
    </Stack>
  );
}

/** /sandbox/datasource?uid=<uid>[&query=<json>][&tab=variable][&var-<name>=<value>] */
export function DataSourcePage({ search }: { search: string }) {
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const variables = useMemo(() => variablesFromQuery(params), [params]);
  // Set before the editor renders: datasources read the dashboard's variables from getTemplateSrv().
  sandboxTemplateSrv.setVariables(variables);
  const { ds, error } = useDataSource(params.get('uid') ?? undefined);
  const tab = params.get('tab') === 'variable' ? 'variable' : 'query';

  if (!params.get('uid')) {
    return (
      <Alert title="Which datasource?" severity="warning">
        Open a datasource from the home page.
      </Alert>
    );
  }
  if (error) {
    return <LoadError title="Could not load the datasource" error={error} />;
  }
  if (!ds) {
    return <div>Loading datasource…</div>;
  }
  return (
    <Stack direction="column" gap={2}>
      <h1 style={{ margin: 0 }}>
        {ds.name} <small>({ds.type})</small>
      </h1>
      <VariablesEditor
        variables={variables}
        onChange={(next) =>
          locationService.partial(Object.fromEntries(Object.entries(next).map(([k, v]) => [`var-${k}`, v])), true)
        }
      />
      <TabsBar>
        <Tab label="Query" active={tab === 'query'} onChangeTab={() => locationService.partial({ tab: null }, true)} />
        <Tab
          label="Variable query"
          active={tab === 'variable'}
          onChangeTab={() => locationService.partial({ tab: 'variable' }, true)}
        />
      </TabsBar>
      <TabContent>{tab === 'query' ? <QueryTab ds={ds} search={params} /> : <VariableQueryPanel ds={ds} />}</TabContent>
    </Stack>
  );
}
