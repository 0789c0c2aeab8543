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
  // The queries run when the panel mounts and again when what they depend on changes: `inputs`
  // stands for the panel, range and variables (the last through the template service). Not on a
  // resize: as in Grafana, the width when they run sets maxDataPoints.
  const inputs = JSON.stringify([panel.targets, panel.transformations, range, variables]);
  const [initialWidth] = useState(width);
  const [answer, setAnswer] = useState<{ inputs: string; data: PanelData }>();
  useEffect(() => {
    let alive = true;
    void runPanelQueries(panel, range, { width: initialWidth, dashboardUid }).then((data) => {
      if (alive) {
        setAnswer({ inputs, data });
      }
    });
    return () => {
      alive = false;
    };
  }, [inputs, panel, range, initialWidth, dashboardUid]);
  const data = answer?.inputs === inputs ? answer.data : undefined;
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
