import { OrgRole } from './roles';

/**
 * Every nester call the plugins make, with the Grafana role its proxy route demands
 * (docs/nester-api.md). plugin.json's routes must grant exactly these: a test checks both
 * against each other with Grafana's route matching.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the app's proxy base; ':x' marks a path parameter. */
  path: string;
  role: OrgRole;
  what: string;
}

export const operations = {
  listHarvesters: { method: 'GET', path: 'api/v1/harvesters', role: 'Viewer', what: 'see the fleet' },
  getHarvester: { method: 'GET', path: 'api/v1/harvesters/:id', role: 'Viewer', what: 'see a harvester' },
  revokeHarvester: { method: 'POST', path: 'api/v1/harvesters/:id/revoke', role: 'Admin', what: 'revoke a harvester' },
  setHarvesterLabels: {
    method: 'POST',
    path: 'api/v1/harvesters/:id/labels',
    role: 'Admin',
    what: "edit a harvester's labels",
  },
  deleteHarvester: { method: 'DELETE', path: 'api/v1/harvesters/:id', role: 'Admin', what: 'delete a harvester' },
  createVncSession: { method: 'POST', path: 'api/v1/sessions/vnc', role: 'Editor', what: 'open a remote desktop' },
  createTerminalSession: { method: 'POST', path: 'api/v1/sessions/terminal', role: 'Admin', what: 'open a terminal' },
  resumeTerminalSession: {
    method: 'POST',
    path: 'api/v1/sessions/terminal/:id/resume',
    role: 'Admin',
    what: 'resume a terminal',
  },
  joinTerminalSession: {
    method: 'POST',
    path: 'api/v1/sessions/terminal/:id/join',
    role: 'Admin',
    what: "join someone's terminal",
  },
  joinVncSession: {
    method: 'POST',
    path: 'api/v1/sessions/vnc/:id/join',
    role: 'Editor',
    what: "watch someone's remote desktop",
  },
  listSessions: { method: 'GET', path: 'api/v1/sessions', role: 'Editor', what: 'see the session audit' },
  listLiveSessions: { method: 'GET', path: 'api/v1/sessions/live', role: 'Editor', what: 'see who is connected' },
  endSession: { method: 'POST', path: 'api/v1/sessions/:id/end', role: 'Admin', what: "end someone's session" },
  getRecording: { method: 'GET', path: 'api/v1/recordings/:id', role: 'Admin', what: 'replay a recording' },
  listEnrollmentTokens: {
    method: 'GET',
    path: 'api/v1/enrollment-tokens',
    role: 'Admin',
    what: 'see enrolment tokens',
  },
  createEnrollmentToken: {
    method: 'POST',
    path: 'api/v1/enrollment-tokens',
    role: 'Admin',
    what: 'create enrolment tokens',
  },
  getReleases: {
    method: 'GET',
    path: 'api/v1/releases',
    role: 'Viewer',
    what: 'see the harvester release nester serves',
  },
  revokeEnrollmentToken: {
    method: 'DELETE',
    path: 'api/v1/enrollment-tokens/:id',
    role: 'Admin',
    what: 'revoke enrolment tokens',
  },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof operations;

/** Fills ':x' parameters, URL-encoding each value. */
export function operationPath(name: OperationName, params: Record<string, string> = {}): string {
  return operations[name].path.replace(/:([a-z]+)/gi, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === '') {
      throw new Error(`${name}: missing path parameter ${key}`);
    }
    return encodeURIComponent(value);
  });
}
