import { AppPlugin, PluginContextProvider } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Alert, ErrorBoundaryAlert, LinkButton, Tab, TabsBar } from '@grafana/ui';

import { SandboxPluginMeta, navPages } from '../plugins';
import { LoadError } from './LoadError';
import { usePlugin } from './usePlugin';

interface Props {
  meta: SandboxPluginMeta;
  pathname: string;
  search: string;
}

/** /a/<app id>/...: Grafana's AppRootPage with the app's nav pages as tabs. */
export function AppRootPage({ meta, pathname, search }: Props) {
  const { plugin, error } = usePlugin<AppPlugin>(meta.enabled ? meta : undefined);
  if (!meta.enabled) {
    return (
      <Alert severity="warning" title="App not enabled">
        <p>Enable {meta.name} on its plugin page first.</p>
        <LinkButton href={`/plugins/${meta.id}`}>Plugin page</LinkButton>
      </Alert>
    );
  }
  if (error) {
    return <LoadError title={`Could not load ${meta.name}`} error={error} />;
  }
  if (!plugin) {
    return <div>Loading {meta.name}…</div>;
  }
  if (!plugin.root) {
    return <LoadError title={meta.name} error={new Error('The app has no root page (setRootPage).')} />;
  }
  const Root = plugin.root;
  const pages = navPages(meta, config.bootData.user.orgRole);
  const here = pathname.replace(/\/$/, '');
  return (
    <div data-testid="app-root" data-app={meta.id}>
      <TabsBar>
        {pages.map((page) => {
          const path = String(page.path ?? '').replace('%PLUGIN_ID%', meta.id);
          return (
            <Tab
              key={path}
              label={page.name}
              href={path}
              active={
                here === path || (here === `/a/${meta.id}` && Boolean((page as { defaultNav?: boolean }).defaultNav))
              }
            />
          );
        })}
      </TabsBar>
      <div style={{ paddingTop: 16 }}>
        <PluginContextProvider meta={meta}>
          <ErrorBoundaryAlert>
            <Root
              meta={meta}
              basename={`/a/${meta.id}`}
              onNavChanged={() => undefined}
              query={Object.fromEntries(new URLSearchParams(search))}
              path={pathname}
            />
          </ErrorBoundaryAlert>
        </PluginContextProvider>
      </div>
    </div>
  );
}
