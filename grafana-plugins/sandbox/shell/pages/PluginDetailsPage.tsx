import { AppPlugin, OrgRole } from '@grafana/data';
import { config, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, ErrorBoundaryAlert, Stack, Tab, TabContent, TabsBar } from '@grafana/ui';
import { useState } from 'react';

import { SandboxPluginMeta, isApp } from '../plugins';
import { LoadError } from './LoadError';
import { usePlugin } from './usePlugin';

/** /plugins/<id>: Grafana's plugin details page with enable/disable and the app's config pages. */
export function PluginDetailsPage({ meta, search }: { meta: SandboxPluginMeta; search: string }) {
  const { plugin, error } = usePlugin<AppPlugin>(isApp(meta) ? meta : undefined);
  const [tab, setTab] = useState(0);
  const isAdmin = config.bootData.user.orgRole === OrgRole.Admin;

  const setEnabled = async (enabled: boolean) => {
    await getBackendSrv().post(`api/plugins/${meta.id}/settings`, {
      enabled,
      pinned: enabled,
      jsonData: meta.jsonData,
    });
    window.location.reload();
  };

  const pages = plugin?.configPages ?? [];
  const Body = pages[tab]?.body;
  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2} alignItems="center">
        <img src={`/${meta.info.logos.large}`} alt="" width={48} height={48} />
        <div>
          <h1 style={{ margin: 0 }}>{meta.name}</h1>
          <div>
            {meta.id} · version {meta.info.version} · {meta.enabled ? 'enabled' : 'disabled'}
          </div>
        </div>
        {isApp(meta) && isAdmin && (
          <Button variant={meta.enabled ? 'destructive' : 'primary'} onClick={() => void setEnabled(!meta.enabled)}>
            {meta.enabled ? 'Disable' : 'Enable'}
          </Button>
        )}
      </Stack>
      {!isAdmin && <Alert severity="info" title="Only organisation admins can change plugin settings." />}
      {error !== undefined && <LoadError title={`Could not load ${meta.name}`} error={error} />}
      {pages.length > 0 && (
        <>
          <TabsBar>
            {pages.map((page, index) => (
              <Tab
                key={page.id}
                label={page.title}
                icon={page.icon}
                active={index === tab}
                onChangeTab={() => setTab(index)}
              />
            ))}
          </TabsBar>
          <TabContent>
            <ErrorBoundaryAlert>
              {Body && plugin && <Body plugin={plugin} query={Object.fromEntries(new URLSearchParams(search))} />}
            </ErrorBoundaryAlert>
          </TabContent>
        </>
      )}
    </Stack>
  );
}
