import { EventBusSrv, LoadingState, PanelPlugin } from '@grafana/data';
import type { Panel } from '@grafana/schema';
import { Alert, ErrorBoundaryAlert, PanelChrome } from '@grafana/ui';
import { ReactNode, useMemo } from 'react';

import { LoadError } from '../pages/LoadError';
import { usePlugin } from '../pages/usePlugin';
import { panelInterpolate } from '../panelInterpolate';
import { SandboxPluginMeta } from '../plugins';
import { Variables } from '../variables';
import { RawRange, toTimeRange } from './timeRange';

/** A plugin panel of a dashboard (ours: no queries), rendered for real with the dashboard's variables. */
export function PluginPanel({
  meta,
  panel,
  range,
  variables,
  width,
  height,
}: {
  meta: SandboxPluginMeta;
  panel: Panel;
  range: RawRange;
  variables: Variables;
  width: number;
  height: number;
}) {
  const { plugin, error } = usePlugin<PanelPlugin>(meta.enabled ? meta : undefined);
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const timeRange = useMemo(() => toTimeRange(range), [range]);
  const interpolate = useMemo(() => panelInterpolate(variables), [variables]);
  const options = useMemo(() => ({ ...(plugin?.defaults ?? {}), ...(panel.options ?? {}) }), [plugin, panel.options]);
  let body: ReactNode;
  if (!meta.enabled) {
    body = (
      <Alert severity="warning" title="Panel not available">
        {meta.name} ships inside the app {meta.includedInAppId}, which is not enabled.
      </Alert>
    );
  } else if (error) {
    body = <LoadError title={`Could not load ${meta.name}`} error={error} />;
  }
  const Component = plugin?.panel;
  return (
    <PanelChrome title={panel.title} width={width} height={height}>
      {(innerWidth, innerHeight) => (
        <div
          data-testid="dashboard-plugin-panel"
          data-panel-id={panel.id}
          data-panel-title={panel.title}
          data-panel-type={panel.type}
          style={{ width: innerWidth, height: innerHeight }}
        >
          {body ??
            (Component ? (
              <ErrorBoundaryAlert>
                <Component
                  id={panel.id ?? 0}
                  data={{ state: LoadingState.Done, series: [], timeRange }}
                  timeRange={timeRange}
                  timeZone="browser"
                  options={options}
                  fieldConfig={{ defaults: {}, overrides: [] }}
                  transparent={false}
                  width={innerWidth}
                  height={innerHeight}
                  renderCounter={0}
                  title={panel.title ?? meta.name}
                  eventBus={eventBus}
                  onOptionsChange={() => undefined}
                  onFieldConfigChange={() => undefined}
                  replaceVariables={interpolate}
                  onChangeTimeRange={() => undefined}
                />
              </ErrorBoundaryAlert>
            ) : (
              <div>Loading {meta.name}…</div>
            ))}
        </div>
      )}
    </PanelChrome>
  );
}
