import { createContext, useContext } from 'react';

import { fetchAppSettings, nester } from '../api/client';
import type { RfbClass } from '../remote-desktop/loadRfb';
import type { TerminalFactory } from '../terminal/xterm';
import { SessionDeps } from './controller';
import { browserResumeStore } from './resumeStore';

/** What a remote view needs from outside: nester, sockets, and the noVNC / xterm.js makers. */
export interface ViewDeps extends SessionDeps {
  loadRfb?: () => Promise<RfbClass>;
  createTerminal?: TerminalFactory;
}

export const defaultSessionDeps: ViewDeps = {
  client: nester,
  loadSettings: fetchAppSettings,
  resumeStore: browserResumeStore(),
};

/** Lets component tests swap nester, the socket factory, noVNC and xterm.js for doubles. */
export const SessionDepsContext = createContext<ViewDeps>(defaultSessionDeps);

export function useSessionDeps(): ViewDeps {
  return useContext(SessionDepsContext);
}
