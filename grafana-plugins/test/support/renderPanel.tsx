import { EventBusSrv, LoadingState, PanelProps, getDefaultTimeRange } from '@grafana/data';
import { render } from '@testing-library/react';
import { ComponentType } from 'react';

import { ViewDeps, SessionDepsContext } from '../../src/session/deps';

/** Renders a panel component with the props Grafana gives, dashboard variables included. */
export function renderPanel<T extends object>(
  Panel: ComponentType<PanelProps<T>>,
  options: T,
  deps: ViewDeps,
  variables: Record<string, string> = {},
) {
  const timeRange = getDefaultTimeRange();
  const props: PanelProps<T> = {
    id: 1,
    data: { state: LoadingState.Done, series: [], timeRange },
    timeRange,
    timeZone: 'browser',
    options,
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 800,
    height: 500,
    renderCounter: 0,
    title: 'panel',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    onChangeTimeRange: () => undefined,
    replaceVariables: (value) => value.replace(/\$(\w+)/g, (match, name: string) => variables[name] ?? match),
  };
  const view = render(
    <SessionDepsContext.Provider value={deps}>
      <Panel {...props} />
    </SessionDepsContext.Provider>,
  );
  const rerenderWith = (next: T) =>
    view.rerender(
      <SessionDepsContext.Provider value={deps}>
        <Panel {...props} options={next} />
      </SessionDepsContext.Provider>,
    );
  return { ...view, rerenderWith };
}
