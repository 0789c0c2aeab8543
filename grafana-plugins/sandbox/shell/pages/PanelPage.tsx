import { css } from '@emotion/css';
import { EventBusSrv, GrafanaTheme2, LoadingState, PanelPlugin, PluginType, getDefaultTimeRange } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, ErrorBoundaryAlert, PanelChrome, useStyles2 } from '@grafana/ui';
import { useEffect, useMemo, useRef, useState } from 'react';

import { panelInterpolate } from '../panelInterpolate';
import { SandboxPluginMeta } from '../plugins';
import { sandboxTemplateSrv } from '../templateSrv';
import { variablesFromQuery } from '../variables';
import { LoadError } from './LoadError';
import { OptionsEditor } from './OptionsEditor';
import { usePlugin } from './usePlugin';
import { VariablesEditor } from './VariablesEditor';

function parseOptions(text: string | null): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A one-panel dashboard: the panel in Grafana's PanelChrome, its options pane and variables. */
export function PanelPage({ meta, search }: { meta: SandboxPluginMeta | undefined; search: string }) {
  const styles = useStyles2(getStyles);
  const query = useMemo(() => new URLSearchParams(search), [search]);
  const { plugin, error } = usePlugin<PanelPlugin>(meta?.enabled ? meta : undefined);
  const variables = useMemo(() => variablesFromQuery(query), [query]);
  // Datasources the panel's plugin calls read the same variables from getTemplateSrv().
  sandboxTemplateSrv.setVariables(variables);
  const saved = useMemo(() => parseOptions(query.get('options')), [query]);
  const options = useMemo(() => ({ ...(plugin?.defaults ?? {}), ...saved }), [plugin, saved]);
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const timeRange = useMemo(() => getDefaultTimeRange(), []);
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({
    width: Number(query.get('width')) || 900,
    height: Number(query.get('height')) || 560,
  });
  const [renderCounter, setRenderCounter] = useState(0);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) {
      return undefined;
    }
    const observer = new ResizeObserver(([entry]) => {
      setSize({ width: Math.round(entry.contentRect.width), height: Math.round(entry.contentRect.height) });
      setRenderCounter((n) => n + 1);
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [plugin]);

  if (!meta || meta.type !== PluginType.panel) {
    return (
      <Alert severity="error" title="Unknown panel plugin">
        Pick a panel on the home page.
      </Alert>
    );
  }
  if (!meta.enabled) {
    return (
      <Alert severity="warning" title="Panel not available">
        {meta.name} ships inside the app {meta.includedInAppId}, which is not enabled (Grafana disables app children
        until their app is enabled).
      </Alert>
    );
  }
  if (error) {
    return <LoadError title={`Could not load ${meta.name}`} error={error} />;
  }
  if (!plugin?.panel) {
    return <div>Loading {meta.name}…</div>;
  }
  const Panel = plugin.panel;
  const setParams = (values: Record<string, string | string[] | undefined>) => locationService.partial(values, true);
  const interpolate = panelInterpolate(variables);

  return (
    <div className={styles.layout}>
      <div className={styles.dashboard}>
        <VariablesEditor
          variables={variables}
          onChange={(next) =>
            setParams(Object.fromEntries(Object.entries(next).map(([key, value]) => [`var-${key}`, value])))
          }
        />
        <div
          ref={boxRef}
          className={styles.box}
          style={{ width: size.width, height: size.height }}
          data-testid="panel-box"
        >
          <PanelChrome title={query.get('title') ?? meta.name} width={size.width} height={size.height}>
            {(innerWidth, innerHeight) => (
              <ErrorBoundaryAlert>
                <div data-testid="sandbox-panel" style={{ width: innerWidth, height: innerHeight }}>
                  <Panel
                    id={1}
                    data={{ state: LoadingState.Done, series: [], timeRange }}
                    timeRange={timeRange}
                    timeZone="browser"
                    options={options}
                    fieldConfig={{ defaults: {}, overrides: [] }}
                    transparent={false}
                    width={innerWidth}
                    height={innerHeight}
                    renderCounter={renderCounter}
                    title={meta.name}
                    eventBus={eventBus}
                    onOptionsChange={(next) => setParams({ options: JSON.stringify(next) })}
                    onFieldConfigChange={() => undefined}
                    replaceVariables={interpolate}
                    onChangeTimeRange={() => undefined}
                  />
                </div>
              </ErrorBoundaryAlert>
            )}
          </PanelChrome>
        </div>
      </div>
      <aside className={styles.editor}>
        <h3>{meta.name} options</h3>
        <OptionsEditor
          plugin={plugin}
          options={options}
          onChange={(next) => setParams({ options: JSON.stringify(next) })}
        />
      </aside>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  layout: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'flex-start' }),
  dashboard: css({ flex: 1, display: 'flex', flexDirection: 'column', gap: theme.spacing(2), minWidth: 0 }),
  box: css({ resize: 'both', overflow: 'hidden', maxWidth: '100%' }),
  editor: css({
    width: 320,
    flex: '0 0 320px',
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});
