import type { Panel } from '@grafana/schema';
import { PanelChrome } from '@grafana/ui';
import { useEffect, useState } from 'react';

import { Variables } from '../variables';
import { PanelResult } from './PanelResult';
import { PanelData, runPanelQueries } from './runPanelQueries';
import { RawRange } from './timeRange';

/** A core panel of a dashboard: its queries run and their results shown as values. */
export function QueryPanel({
  panel,
  range,
  variables,
  width,
  height,
  dashboardUid,
}: {
  panel: Panel;
  range: RawRange;
  variables: Variables;
  width: number;
  height: number;
  dashboardUid: string;
}) {
  const [data, setData] = useState<PanelData>();
  // Run again when what the queries depend on changes: `inputs` stands for the panel, range and
  // variables the effect reads. Not on a resize: as in Grafana, the width sets maxDataPoints when
  // the queries run.
  const inputs = JSON.stringify([panel.targets, panel.transformations, range, variables]);
  useEffect(() => {
    let alive = true;
    setData(undefined);
    runPanelQueries(panel, range, { width, dashboardUid }).then((result) => alive && setData(result));
    return () => {
      alive = false;
    };
  }, [inputs]);
  return (
    <PanelChrome
      title={panel.title}
      description={panel.description}
      width={width}
      height={height}
      loadingState={undefined}
    >
      {(innerWidth, innerHeight) => (
        <div
          data-testid="dashboard-panel"
          data-panel-id={panel.id}
          data-panel-title={panel.title}
          data-panel-type={panel.type}
          style={{ width: innerWidth, height: innerHeight, overflow: 'auto' }}
        >
          <small style={{ opacity: 0.6 }}>{panel.type}</small>
          {data ? (
            <PanelResult
              state={data.state}
              answers={data.answers}
              errors={data.errors}
              frames={data.frames}
              config={panel.fieldConfig}
            />
          ) : (
            <div data-testid="panel-result" data-state="Loading">
              Loading…
            </div>
          )}
        </div>
      )}
    </PanelChrome>
  );
}
