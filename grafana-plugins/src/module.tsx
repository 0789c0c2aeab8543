import './publicPath';

import { AppPlugin } from '@grafana/data';

import { AppSettings } from './config/settings';
import { App } from './app/App';
import { AppConfig } from './config/AppConfig';

export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
