import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, useStyles2 } from '@grafana/ui';
import { useEffect, useState } from 'react';

import { DashboardPage } from '../dashboards/DashboardPage';
import { DataSourcePage } from '../datasources/DataSourcePage';
import { DataSourceSettingsPage } from '../datasources/DataSourceSettingsPage';
import { usePlugins } from '../plugins';
import { AppRootPage } from './AppRootPage';
import { HomePage } from './HomePage';
import { PanelPage } from './PanelPage';
import { PluginDetailsPage } from './PluginDetailsPage';
import { TopBar } from './TopBar';

/** A path segment decoded, or as written when its percent-escapes are malformed. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function useLocation() {
  const [location, setLocation] = useState(locationService.getLocation());
  useEffect(() => {
    const subscription = locationService.getLocationObservable().subscribe(setLocation);
    return () => subscription.unsubscribe();
  }, []);
  return location;
}

/**
 * The sandbox's page routes: Grafana's URLs for apps, plugin pages and datasource settings, plus
 * a one-panel dashboard and a datasource's query editor with a preview (Explore, in short).
 */
export function Shell() {
  const styles = useStyles2(getStyles);
  const location = useLocation();
  const { plugins, error } = usePlugins();
  const path = location.pathname;

  let page;
  if (error) {
    page = (
      <Alert severity="error" title="The sandbox server did not answer">
        {error}
      </Alert>
    );
  } else if (!plugins) {
    page = <div>Loading…</div>;
  } else {
    const app = /^\/a\/([^/]+)/.exec(path);
    const details = /^\/plugins\/([^/]+)\/?$/.exec(path);
    const dashboard = /^\/d\/([^/]+)/.exec(path);
    const find = (id: string) => plugins.find((plugin) => plugin.id === decodeURIComponent(id));
    if (app && find(app[1])) {
      page = <AppRootPage meta={find(app[1])!} pathname={path} search={location.search} />;
    } else if (details && find(details[1])) {
      page = <PluginDetailsPage meta={find(details[1])!} search={location.search} />;
    } else if (dashboard) {
      const uid = safeDecode(dashboard[1]);
      page = <DashboardPage key={uid} uid={uid} search={location.search} plugins={plugins} />;
    } else if (/^\/connections\/datasources\/edit\/[^/]+$/.test(path)) {
      const uid = decodeURIComponent(path.split('/').pop()!);
      page = <DataSourceSettingsPage key={uid} uid={uid} />;
    } else if (path === '/sandbox/datasource') {
      page = <DataSourcePage search={location.search} />;
    } else if (path === '/sandbox/panel') {
      const type = new URLSearchParams(location.search).get('type') ?? '';
      page = <PanelPage key={type} meta={find(type)} search={location.search} />;
    } else if (path === '/') {
      page = <HomePage plugins={plugins} />;
    } else {
      page = (
        <Alert severity="warning" title="Page not found">
          {path}
        </Alert>
      );
    }
  }
  return (
    <div className={styles.shell}>
      <TopBar />
      <main className={styles.main}>{page}</main>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  shell: css({
    minHeight: '100%',
    display: 'flex',
    flexDirection: 'column',
    background: theme.colors.background.canvas,
  }),
  main: css({ flex: 1, padding: theme.spacing(2, 3) }),
});
