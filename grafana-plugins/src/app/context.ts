import { config } from '@grafana/runtime';
import { createContext, useContext } from 'react';

import { NesterClient, nester } from '../api/client';
import { OrgRole, roleAllows } from '../api/roles';
import { AppSettings } from '../config/settings';

export interface AppContextValue {
  settings: AppSettings;
  client: NesterClient;
  /** The signed-in user's organisation role, for showing only the actions that will work. */
  role: OrgRole;
  login: string;
}

export function currentUser(): { role: OrgRole; login: string } {
  const user = config.bootData?.user;
  return { role: (user?.orgRole as OrgRole) || 'Viewer', login: user?.login ?? '' };
}

export const AppContext = createContext<AppContextValue>({
  settings: {},
  client: nester,
  role: 'Viewer',
  login: '',
});

export function useApp(): AppContextValue & { can: (role: OrgRole) => boolean } {
  const value = useContext(AppContext);
  return { ...value, can: (required: OrgRole) => roleAllows(value.role, required) };
}
