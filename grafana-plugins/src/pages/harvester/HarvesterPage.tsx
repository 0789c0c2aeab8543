import { PluginPage } from '@grafana/runtime';
import { Alert, RadioButtonGroup, Stack, Switch, Tab, TabContent, TabsBar } from '@grafana/ui';
import { useCallback, useState } from 'react';

import { useApp } from '../../app/context';
import { appUrl, setQuery } from '../../app/route';
import { ErrorState } from '../../components/ErrorState';
import { useAsync } from '../../components/useAsync';
import { RemoteDesktop } from '../../remote-desktop/RemoteDesktop';
import { Scaling, defaultRemoteDesktopOptions, scalingChoices } from '../../remote-desktop/options';
import { TerminalView } from '../../terminal/TerminalView';
import { Facts } from './Facts';
import { HarvesterHeader } from './HarvesterHeader';
import { RecentMetrics } from './RecentMetrics';

const REFRESH_MS = 15_000;

export function HarvesterPage({ id, tab }: { id: string; tab: string }) {
  const { client, can, settings } = useApp();
  const harvester = useAsync(
    useCallback((signal: AbortSignal) => client.getHarvester(id, signal), [client, id]),
    REFRESH_MS,
  );
  const [viewOnly, setViewOnly] = useState(false);
  const [scaling, setScaling] = useState<Scaling>('fit');
  const current = harvester.value;

  const tabs = [
    { id: 'overview', label: 'Overview', icon: 'info-circle' as const },
    { id: 'desktop', label: 'Desktop', icon: 'monitor' as const },
    { id: 'terminal', label: 'Terminal', icon: 'brackets-curly' as const },
  ];

  return (
    <PluginPage
      pageNav={{ text: current?.hostname ?? id, url: appUrl.harvester(id) }}
      // The header is content, not renderTitle/actions: it shows wherever the page is rendered
      // (Grafana versions differ in what PluginPage draws, the sandbox draws neither).
      renderTitle={() => <h1 style={{ margin: 0 }}>{current?.hostname ?? id}</h1>}
    >
      {current && <HarvesterHeader harvester={current} onRevoked={harvester.reload} />}
      {harvester.error !== undefined && !current && <ErrorState error={harvester.error} onRetry={harvester.reload} />}
      {current && (
        <>
          <TabsBar>
            {tabs.map((t) => (
              <Tab
                key={t.id}
                label={t.label}
                icon={t.icon}
                active={tab === t.id}
                onChangeTab={() => setQuery({ tab: t.id === 'overview' ? undefined : t.id })}
              />
            ))}
          </TabsBar>
          <TabContent>
            {tab === 'desktop' ? (
              can('Editor') ? (
                <Stack direction="column" gap={1}>
                  <Stack direction="row" gap={2} alignItems="center">
                    <Stack direction="row" gap={1} alignItems="center">
                      <Switch id="view-only" value={viewOnly} onChange={(e) => setViewOnly(e.currentTarget.checked)} />
                      <label htmlFor="view-only">View only</label>
                    </Stack>
                    <RadioButtonGroup
                      size="sm"
                      options={scalingChoices}
                      value={scaling}
                      onChange={(value) => setScaling(value)}
                    />
                  </Stack>
                  <div style={{ height: '70vh' }}>
                    <RemoteDesktop
                      {...defaultRemoteDesktopOptions}
                      harvester={current.id}
                      viewOnly={viewOnly}
                      scaling={scaling}
                    />
                  </div>
                </Stack>
              ) : (
                <Alert severity="warning" title="Permission denied">
                  Opening a remote desktop needs the Editor role.
                </Alert>
              )
            ) : tab === 'terminal' ? (
              can('Admin') ? (
                <div style={{ height: '70vh' }}>
                  <TerminalView harvester={current.id} fontSize={14} />
                </div>
              ) : (
                <Alert severity="warning" title="Permission denied">
                  Opening a terminal needs the Admin role.
                </Alert>
              )
            ) : (
              <Stack direction="column" gap={3}>
                <Facts harvester={current} onChanged={harvester.reload} />
                <RecentMetrics harvester={current} settings={settings} />
              </Stack>
            )}
          </TabContent>
        </>
      )}
    </PluginPage>
  );
}
