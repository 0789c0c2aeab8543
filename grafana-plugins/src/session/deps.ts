import { createContext, useContext } from 'react';

import { fetchAppSettings, nester } from '../api/client';
import { SessionDeps } from './controller';

export const defaultSessionDeps: SessionDeps = { client: nester, loadSettings: fetchAppSettings };

/** Lets tests (and the sandbox, if ever needed) swap the nester client and socket factory. */
export const SessionDepsContext = createContext<SessionDeps>(defaultSessionDeps);

export function useSessionDeps(): SessionDeps {
  return useContext(SessionDepsContext);
}
