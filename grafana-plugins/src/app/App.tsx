import { AppRootProps } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, LinkButton } from '@grafana/ui';
import { useMemo } from 'react';

import { fetchAppSettings, nester } from '../api/client';
import { AppSettings } from '../config/settings';
import { useAsync } from '../components/useAsync';
import { CONFIG_PAGE } from '../constants';
import { EnrolmentPage } from '../pages/enrolment/EnrolmentPage';
import { FleetPage } from '../pages/fleet/FleetPage';
import { HarvesterPage } from '../pages/harvester/HarvesterPage';
import { SessionsPage } from '../pages/sessions/SessionsPage';
import { AppContext, AppContextValue, currentUser } from './context';
import { useAppRoute } from './route';

export function App({ basename, meta }: AppRootProps<AppSettings>) {
  const route = useAppRoute(basename);
  // Read fresh: the meta Grafana hands over can predate a save on the configuration page.
  const fresh = useAsync(fetchAppSettings);
  const context = useMemo<AppContextValue>(
    () => ({ settings: fresh.value ?? meta.jsonData ?? {}, client: nester, ...currentUser() }),
    [fresh.value, meta.jsonData],
  );
  const { settings } = context;

  if (fresh.loading && !fresh.value && !meta.jsonData?.nesterUrl) {
    return <PluginPage>{null}</PluginPage>;
  }

  if (!settings.nesterUrl) {
    return (
      <PluginPage>
        <Alert severity="info" title="Nester is not configured yet">
          <p>An administrator must set the nester URL and API token before the fleet can be shown.</p>
          <LinkButton icon="cog" href={CONFIG_PAGE} variant="secondary">
            Open the app configuration
          </LinkButton>
        </Alert>
      </PluginPage>
    );
  }

  const [page, id] = route.segments;
  return (
    <AppContext.Provider value={context}>
      {page === 'harvesters' && id ? (
        <HarvesterPage id={id} tab={route.query.get('tab') ?? 'overview'} />
      ) : page === 'sessions' ? (
        <SessionsPage query={route.query} />
      ) : page === 'enrolment' ? (
        <EnrolmentPage />
      ) : (
        <FleetPage query={route.query} />
      )}
    </AppContext.Provider>
  );
}
