import { css } from '@emotion/css';
import { GrafanaTheme2, PluginType } from '@grafana/data';
import { getBackendSrv, locationService } from '@grafana/runtime';
import type { Dashboard, DashboardLink, Panel, RowPanel } from '@grafana/schema';
import { Alert, Stack, TextLink, useStyles2 } from '@grafana/ui';
import { useEffect, useMemo, useRef, useState } from 'react';

import { SandboxPluginMeta } from '../plugins';
import { sandboxTemplateSrv } from '../templateSrv';
import { replaceVariables } from '../variables';
import { PluginPanel } from './PluginPanel';
import { QueryPanel } from './QueryPanel';
import { RawRange } from './timeRange';
import { ResolvedVariable, useDashboardVariables } from './useDashboardVariables';

const COLUMNS = 24;
const ROW_HEIGHT = 30;
const GAP = 8;

interface DashboardDto {
  dashboard: Dashboard;
  meta: { folderTitle?: string; provisioned?: boolean };
}

function useDashboard(uid: string) {
  const [state, setState] = useState<{ dto?: DashboardDto; error?: string }>({});
  useEffect(() => {
    let alive = true;
    getBackendSrv()
      .get<DashboardDto>(`/api/dashboards/uid/${encodeURIComponent(uid)}`)
      .then(
        (dto) => alive && setState({ dto }),
        (err: { data?: { message?: string } }) =>
          alive && setState({ error: err?.data?.message ?? 'the sandbox did not answer' }),
      );
    return () => {
      alive = false;
    };
  }, [uid]);
  return state;
}

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  useEffect(() => {
    const box = ref.current;
    if (!box) {
      return undefined;
    }
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    observer.observe(box);
    return () => observer.disconnect();
  });
  return { ref, width };
}

function VariablePickers({ variables }: { variables: ResolvedVariable[] }) {
  const styles = useStyles2(getStyles);
  return (
    <Stack direction="row" gap={2} wrap="wrap" data-testid="dashboard-variables">
      {variables
        .filter((variable) => !variable.hidden)
        .map((variable) => (
          <label
            key={variable.name}
            className={styles.variable}
            data-testid="dashboard-variable"
            data-name={variable.name}
            data-value={Array.isArray(variable.value) ? variable.value.join(',') : variable.value}
          >
            {variable.label}{' '}
            <select
              className={styles.select}
              aria-label={`Variable ${variable.name}`}
              value={Array.isArray(variable.value) ? variable.value[0] : variable.value}
              onChange={(e) => locationService.partial({ [`var-${variable.name}`]: e.currentTarget.value })}
            >
              {variable.options.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
            {variable.error && <span role="alert"> {variable.error}</span>}
          </label>
        ))}
    </Stack>
  );
}

/**
 * /d/<uid>: a provisioned dashboard, laid out on Grafana's 24-column grid. Its variables are
 * loaded as Grafana loads them; our panels render for real; the other panels run their queries
 * and transformations and show the results as values (the sandbox does not draw Grafana's
 * visualisations).
 */
export function DashboardPage({ uid, search, plugins }: { uid: string; search: string; plugins: SandboxPluginMeta[] }) {
  const styles = useStyles2(getStyles);
  const { dto, error } = useDashboard(uid);
  const dashboard = dto?.dashboard;
  const params = new URLSearchParams(search);
  const from = params.get('from') ?? dashboard?.time?.from ?? 'now-1h';
  const to = params.get('to') ?? dashboard?.time?.to ?? 'now';
  const range: RawRange = useMemo(() => ({ from, to }), [from, to]);
  const { variables, values } = useDashboardVariables(dashboard?.templating?.list, search, range);
  const { ref, width } = useWidth();

  if (error) {
    return (
      <Alert severity="error" title="Dashboard not found">
        {error}
      </Alert>
    );
  }
  if (!dashboard || !variables) {
    return <div data-testid="dashboard-loading">Loading dashboard…</div>;
  }
  // Panels and the datasources they call read the dashboard's variables.
  sandboxTemplateSrv.setVariables(values);
  const column = (width - (COLUMNS - 1) * GAP) / COLUMNS;
  const size = (w: number, h: number) => ({
    width: Math.floor(w * column + (w - 1) * GAP),
    height: h * ROW_HEIGHT + (h - 1) * GAP,
  });
  const panels = (dashboard.panels ?? []).flatMap((panel: Panel | RowPanel) =>
    panel.type === 'row' ? [panel, ...((panel as RowPanel).panels ?? [])] : [panel],
  );
  const pluginOf = (type: string) => plugins.find((plugin) => plugin.id === type && plugin.type === PluginType.panel);

  return (
    <div data-testid="dashboard" data-uid={dashboard.uid}>
      <Stack direction="row" gap={2} alignItems="baseline" wrap="wrap">
        <h1 style={{ margin: 0 }}>{dashboard.title}</h1>
        <span className={styles.note}>
          {dto?.meta.folderTitle ? `${dto.meta.folderTitle} · ` : ''}
          {range.from} to {range.to}
          {dto?.meta.provisioned ? ' · provisioned' : ''}
        </span>
        {(dashboard.links ?? []).map((link: DashboardLink, i: number) => (
          <TextLink key={i} href={replaceVariables(link.url ?? '', values)} data-testid="dashboard-link">
            {link.title}
          </TextLink>
        ))}
      </Stack>
      <VariablePickers variables={variables} />
      <div ref={ref} className={styles.grid}>
        {panels.map((panel) => {
          const { x = 0, y = 0, w = 12, h = 8 } = panel.gridPos ?? {};
          const style = { gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}` };
          const { width: panelWidth, height: panelHeight } = size(w, h);
          const meta = pluginOf(panel.type);
          return (
            <div key={panel.id} style={style}>
              {panel.type === 'row' ? (
                <h2 className={styles.row} data-testid="dashboard-row">
                  {panel.title}
                </h2>
              ) : meta ? (
                <PluginPanel
                  meta={meta}
                  panel={panel}
                  range={range}
                  variables={values}
                  width={panelWidth}
                  height={panelHeight}
                />
              ) : (
                <QueryPanel
                  panel={panel}
                  range={range}
                  variables={values}
                  width={panelWidth}
                  height={panelHeight}
                  dashboardUid={dashboard.uid ?? uid}
                />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  note: css({ color: theme.colors.text.secondary }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: `repeat(${COLUMNS}, minmax(0, 1fr))`,
    gridAutoRows: ROW_HEIGHT,
    gap: GAP,
    marginTop: theme.spacing(2),
  }),
  row: css({ margin: 0, fontSize: theme.typography.h4.fontSize, alignSelf: 'end' }),
  variable: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), margin: theme.spacing(1, 0) }),
  select: css({
    height: theme.spacing(4),
    minWidth: 160,
    background: theme.colors.background.primary,
    color: theme.colors.text.primary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0, 1),
  }),
});
