// The modules Grafana shares with plugins through SystemJS (public/app/features/plugins/
// loader/sharedDependencies.ts), taken from the real npm packages. Plugins that externalise
// something not listed here fail to load with SystemJS's own "bare specifier" error.
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUIraw from '@grafana/ui';
import lodash from 'lodash';
import moment from 'moment';
import react from 'react';
import reactDom from 'react-dom';
import * as reactRouterDom from 'react-router-dom';
import * as reactRouterCompat from 'react-router-dom-v5-compat';
import * as jsxDevRuntime from 'react/jsx-dev-runtime';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

// As in Grafana: the plugin base classes are reachable from @grafana/ui too (6.5 migration).
const grafanaUI: Record<string, unknown> = {
  ...grafanaUIraw,
  PanelPlugin: grafanaData.PanelPlugin,
  AppPlugin: grafanaData.AppPlugin,
  DataSourcePlugin: grafanaData.DataSourcePlugin,
  DataSourceApi: grafanaData.DataSourceApi,
};

export const sharedModules: Record<string, object> = {
  '@emotion/css': emotionCss,
  emotion: emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUI,
  lodash: { default: lodash, __useDefault: true },
  moment: { default: moment, __useDefault: true },
  react,
  'react-dom': reactDom,
  'react/jsx-runtime': jsxRuntime,
  'react/jsx-dev-runtime': jsxDevRuntime,
  // Grafana shares react-router-dom v5, and v6 (through the compat package) as react-router.
  'react-router-dom': reactRouterDom,
  'react-router': reactRouterCompat,
  rxjs,
  'rxjs/operators': rxjsOperators,
};
