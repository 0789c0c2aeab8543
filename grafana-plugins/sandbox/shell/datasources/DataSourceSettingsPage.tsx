import { DataSourceApi, DataSourcePlugin, DataSourceSettings, OrgRole, TestDataSourceResponse } from '@grafana/data';
import { config, getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, ErrorBoundaryAlert, Field, Input, Stack } from '@grafana/ui';
import { useEffect, useState } from 'react';

import { sandboxDataSourceSrv } from '../dataSourceSrv';
import { LoadError } from '../pages/LoadError';
import { serverMessage } from '../serverMessage';
import { loadPlugin } from '../systemjs';

type Settings = DataSourceSettings & { readOnly?: boolean };

/**
 * Grafana's datasource settings page (/connections/datasources/edit/<uid>): the plugin's config
 * editor on the datasource's settings, "Save & test" storing them (secrets server-side only)
 * and running the datasource's testDatasource() with what was saved.
 */
export function DataSourceSettingsPage({ uid }: { uid: string }) {
  const isAdmin = config.bootData.user.orgRole === OrgRole.Admin;
  const [options, setOptions] = useState<Settings>();
  const [plugin, setPlugin] = useState<DataSourcePlugin<DataSourceApi>>();
  const [error, setError] = useState<unknown>();
  const [test, setTest] = useState<TestDataSourceResponse & { running?: boolean }>();

  useEffect(() => {
    if (!isAdmin) {
      return;
    }
    getBackendSrv()
      .get<Settings>(`api/datasources/uid/${encodeURIComponent(uid)}`)
      .then(async (settings) => {
        const meta = getDataSourceSrv().getInstanceSettings(uid)?.meta;
        if (!meta) {
          throw new Error(`no installed datasource plugin for ${settings.type}`);
        }
        setPlugin(
          (await loadPlugin({
            id: meta.id,
            type: 'datasource',
            module: meta.module,
          })) as DataSourcePlugin<DataSourceApi>,
        );
        setOptions(settings);
      })
      .catch((err: unknown) => setError(serverMessage(err) ?? err));
  }, [uid, isAdmin]);

  if (!isAdmin) {
    return <Alert severity="info" title="Only organisation admins can change data sources." />;
  }
  if (error) {
    return <LoadError title="Could not load the data source" error={error} />;
  }
  const ConfigEditor = plugin?.components.ConfigEditor;
  if (!options || !ConfigEditor) {
    return <div>Loading…</div>;
  }

  const saveAndTest = async () => {
    setTest({ status: 'running', message: 'Testing…', running: true });
    try {
      if (!options.readOnly) {
        const saved = await getBackendSrv().put<{ datasource: Settings }>(
          `api/datasources/uid/${encodeURIComponent(uid)}`,
          {
            name: options.name,
            url: options.url,
            access: options.access,
            isDefault: options.isDefault,
            jsonData: options.jsonData,
            secureJsonData: options.secureJsonData,
          },
        );
        // Grafana forgets typed secrets once saved; only secureJsonFields say they are set.
        setOptions(saved.datasource);
      }
      await sandboxDataSourceSrv.reloadSettings();
      const ds = await getDataSourceSrv().get(uid);
      setTest(await ds.testDatasource());
    } catch (err) {
      const message = serverMessage(err) ?? (err instanceof Error ? err.message : String(err));
      setTest({ status: 'error', message });
    }
  };

  return (
    <Stack direction="column" gap={2}>
      <h1 style={{ margin: 0 }}>
        {options.name} <small>({options.type})</small>
      </h1>
      {options.readOnly && (
        <Alert severity="info" title="Provisioned data source">
          This data source was added by provisioning and cannot be modified here; &quot;Test&quot; still runs.
        </Alert>
      )}
      <Field label="Name">
        <Input
          aria-label="Data source name"
          width={40}
          value={options.name}
          disabled={options.readOnly}
          onChange={(e) => setOptions({ ...options, name: e.currentTarget.value })}
        />
      </Field>
      <ErrorBoundaryAlert>
        <ConfigEditor options={options} onOptionsChange={(next: DataSourceSettings) => setOptions(next)} />
      </ErrorBoundaryAlert>
      {test && !test.running && (
        <Alert
          severity={test.status === 'success' ? 'success' : 'error'}
          title={test.status === 'success' ? 'Data source is working' : 'Test failed'}
          data-testid="datasource-test-result"
          data-status={test.status}
        >
          {test.message}
        </Alert>
      )}
      <div>
        <Button onClick={() => void saveAndTest()} disabled={test?.running}>
          {options.readOnly ? 'Test' : 'Save & test'}
        </Button>
      </div>
    </Stack>
  );
}
