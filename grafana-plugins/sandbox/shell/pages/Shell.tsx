import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, useStyles2 } from '@grafana/ui';
import { useEffect, useState } from 'react';

import { usePlugins } from '../plugins';
import { AppRootPage } from './AppRootPage';
import { HomePage } from './HomePage';
import { PanelPage } from './PanelPage';
import { PluginDetailsPage } from './PluginDetailsPage';
import { TopBar } from './TopBar';

function useLocation() {
  const [location, setLocation] = useState(locationService.getLocation());
  useEffect(() => {
    const subscription = locationService.getLocationObservable().subscribe(setLocation);
    return () => subscription.unsubscribe();
  }, []);
  return location;
}

/** The sandbox's page routes: Grafana's URLs for apps and plugin pages, plus a one-panel dashboard. */
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
    const find = (id: string) => plugins.find((plugin) => plugin.id === decodeURIComponent(id));
    if (app && find(app[1])) {
      page = <AppRootPage meta={find(app[1])!} pathname={path} search={location.search} />;
    } else if (details && find(details[1])) {
      page = <PluginDetailsPage meta={find(details[1])!} search={location.search} />;
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
