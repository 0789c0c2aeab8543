// The sandbox's browser side: sets up what Grafana's frontend provides to plugins (shared
// modules through SystemJS, runtime services, option editors, theme) and renders the shell.
import { ThemeContext } from '@grafana/data';
import {
  LocationServiceProvider,
  config,
  locationService,
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
} from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';
import { createRoot } from 'react-dom/client';
import { Router } from 'react-router-dom';
import { CompatRouter } from 'react-router-dom-v5-compat';

import { SandboxBackendSrv } from './backendSrv';
import { sandboxDataSourceSrv } from './dataSourceSrv';
import { initOptionEditors } from './editors';
import { Shell } from './pages/Shell';
import { initSystemJS } from './systemjs';
import { sandboxTemplateSrv } from './templateSrv';

setBackendSrv(new SandboxBackendSrv());
setDataSourceSrv(sandboxDataSourceSrv);
setTemplateSrv(sandboxTemplateSrv);
initOptionEditors();
initSystemJS();

// Grafana's interceptLinkClicks: in-app links change the route without reloading the page.
document.addEventListener('click', (event) => {
  const anchor = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
    return;
  }
  if (anchor.target && anchor.target !== '_self') {
    return;
  }
  const url = new URL(anchor.href, window.location.href);
  if (
    url.origin !== window.location.origin ||
    url.pathname.startsWith('/public/') ||
    url.pathname.startsWith('/api/')
  ) {
    return;
  }
  event.preventDefault();
  locationService.push(url.pathname + url.search + url.hash);
});

createRoot(document.getElementById('root')!).render(
  // Grafana's AppWrapper: one router on the location service's history (v5 + the v6 compat layer).
  <Router history={locationService.getHistory()}>
    <LocationServiceProvider service={locationService}>
      <CompatRouter>
        <ThemeContext.Provider value={config.theme2}>
          <GlobalStyles />
          <Shell />
        </ThemeContext.Provider>
      </CompatRouter>
    </LocationServiceProvider>
  </Router>,
);
