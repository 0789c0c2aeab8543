import { Alert, Card, Stack, TextLink } from '@grafana/ui';

import { DashboardList } from '../dashboards/DashboardList';
import { SandboxPluginMeta, isApp, isDatasource, isPanel } from '../plugins';
import { DataSourceCards } from './DataSourceCards';

export function HomePage({ plugins }: { plugins: SandboxPluginMeta[] }) {
  return (
    <Stack direction="column" gap={2}>
      <h1>Installed plugins</h1>
      {plugins.length === 0 && <Alert title="No plugins installed">Start the sandbox with --plugins DIR.</Alert>}
      {plugins.map((plugin) => (
        <Card key={plugin.id} data-testid="plugin-card">
          <Card.Heading>{plugin.name}</Card.Heading>
          <Card.Figure>
            <img src={`/${plugin.info.logos.small}`} alt="" width={40} height={40} />
          </Card.Figure>
          <Card.Meta>
            {[
              plugin.id,
              plugin.type,
              `v${plugin.info.version}`,
              plugin.enabled ? 'enabled' : 'disabled',
              plugin.includedInAppId ? `in ${plugin.includedInAppId}` : '',
            ].filter(Boolean)}
          </Card.Meta>
          <Card.Description>{plugin.info.description}</Card.Description>
          <Card.Actions>
            {isApp(plugin) && <TextLink href={`/a/${plugin.id}/`}>Open app</TextLink>}
            {isApp(plugin) && <TextLink href={`/plugins/${plugin.id}`}>Configuration</TextLink>}
            {isPanel(plugin) && <TextLink href={`/sandbox/panel?type=${plugin.id}`}>Open in a dashboard</TextLink>}
          </Card.Actions>
        </Card>
      ))}
      <DataSourceCards datasourcePlugins={plugins.filter(isDatasource)} />
      <DashboardList />
    </Stack>
  );
}
