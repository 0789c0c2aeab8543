import { DataSourceInstanceSettings, OrgRole } from '@grafana/data';
import { config, getBackendSrv } from '@grafana/runtime';
import { Button, Card, Stack, TextLink } from '@grafana/ui';
import { useState } from 'react';

import { SandboxPluginMeta } from '../plugins';
import { serverMessage } from '../serverMessage';

/** Datasource instances (Grafana's Connections › Data sources) and, for admins, adding one. */
export function DataSourceCards({ datasourcePlugins }: { datasourcePlugins: SandboxPluginMeta[] }) {
  const instances: DataSourceInstanceSettings[] = Object.values(config.datasources ?? {});
  const isAdmin = config.bootData.user.orgRole === OrgRole.Admin;
  const [error, setError] = useState<string>();
  const add = async (plugin: SandboxPluginMeta) => {
    try {
      const name = `${plugin.name} ${instances.filter((ds) => ds.type === plugin.id).length + 1}`;
      const created = await getBackendSrv().post<{ datasource: { uid: string } }>('api/datasources', {
        name,
        type: plugin.id,
        access: 'proxy',
      });
      // A full load, as the boot data lists datasources.
      window.location.assign(`/connections/datasources/edit/${created.datasource.uid}`);
    } catch (err) {
      setError(serverMessage(err) ?? String(err));
    }
  };
  if (!instances.length && !datasourcePlugins.length) {
    return null;
  }
  return (
    <Stack direction="column" gap={1}>
      <h2>Data sources</h2>
      {instances.map((ds) => (
        <Card key={ds.uid} data-testid="datasource-card">
          <Card.Heading>{ds.name}</Card.Heading>
          <Card.Meta>{[ds.type, `uid ${ds.uid}`, ds.isDefault ? 'default' : ''].filter(Boolean)}</Card.Meta>
          <Card.Actions>
            <TextLink href={`/sandbox/datasource?uid=${encodeURIComponent(ds.uid)}`}>Explore</TextLink>
            {isAdmin && (
              <TextLink href={`/connections/datasources/edit/${encodeURIComponent(ds.uid)}`}>Settings</TextLink>
            )}
          </Card.Actions>
        </Card>
      ))}
      {isAdmin &&
        datasourcePlugins.map((plugin) => (
          <div key={plugin.id}>
            <Button size="sm" variant="secondary" icon="plus" onClick={() => void add(plugin)}>
              Add a {plugin.name} data source
            </Button>
          </div>
        ))}
      {error && <div role="alert">{error}</div>}
    </Stack>
  );
}
