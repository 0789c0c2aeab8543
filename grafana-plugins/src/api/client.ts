import { BackendSrvRequest, getBackendSrv } from '@grafana/runtime';
import type {
  CreatedEnrollmentToken,
  EnrollmentTokenList,
  Harvester,
  HarvesterList,
  HarvesterListQuery,
  JoinRequest,
  LabelsRequest,
  LiveSession,
  LiveSessionList,
  NewEnrollmentToken,
  ReleasesInfo,
  SessionEndRequest,
  SessionList,
  SessionListQuery,
  SessionRequest,
  SessionTicket,
} from '@nester/contracts/nester/api';
import type { SessionKind } from '@nester/contracts/remote/protocol';
import { lastValueFrom } from 'rxjs';

import { AppSettings } from '../config/settings';
import { APP_SETTINGS_URL, PROXY_BASE } from '../constants';
import { toNesterError } from './errors';
import { OperationName, operationPath, operations } from './operations';

interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | string[] | undefined>;
  body?: unknown;
  responseType?: BackendSrvRequest['responseType'];
  signal?: AbortSignal;
}

/** One nester call through the app's proxy route; Grafana adds the API token server-side. */
async function call<T>(name: OperationName, options: CallOptions = {}): Promise<T> {
  const operation = operations[name];
  const query = Object.fromEntries(
    Object.entries(options.query ?? {}).filter(
      ([, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  );
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        url: `${PROXY_BASE}/${operationPath(name, options.params)}`,
        method: operation.method,
        params: Object.keys(query).length > 0 ? query : undefined,
        data: options.body,
        responseType: options.responseType,
        abortSignal: options.signal,
        showErrorAlert: false,
        showSuccessAlert: false,
      }),
    );
    return response.data;
  } catch (err) {
    throw toNesterError(err, operation);
  }
}

export const nester = {
  async listHarvesters(query: HarvesterListQuery = {}, signal?: AbortSignal) {
    const body = await call<HarvesterList>('listHarvesters', { query: { ...query }, signal });
    return body.harvesters;
  },
  /** One page of the fleet (server-side filters, sort and paging), its total and the fleet's facets. */
  pageHarvesters(query: HarvesterListQuery, signal?: AbortSignal) {
    return call<HarvesterList>('listHarvesters', { query: { ...query }, signal });
  },
  getHarvester(id: string, signal?: AbortSignal) {
    return call<Harvester>('getHarvester', { params: { id }, signal });
  },
  revokeHarvester(id: string) {
    return call<Harvester>('revokeHarvester', { params: { id }, body: {} });
  },
  setHarvesterLabels(id: string, labels: Record<string, string>) {
    return call<Harvester>('setHarvesterLabels', { params: { id }, body: { labels } satisfies LabelsRequest });
  },
  deleteHarvester(id: string) {
    return call<void>('deleteHarvester', { params: { id } });
  },
  createSession(kind: SessionKind, body: SessionRequest, signal?: AbortSignal) {
    return call<SessionTicket>(kind === 'vnc' ? 'createVncSession' : 'createTerminalSession', { body, signal });
  },
  /** A fresh ticket for a running terminal of the caller's (after a reload or a dropped connection). */
  resumeSession(sessionId: string, signal?: AbortSignal) {
    return call<SessionTicket>('resumeTerminalSession', { params: { id: sessionId }, signal });
  },
  /**
   * A one-time ticket to watch someone else's running terminal (to type too, when its owner
   * allows) or live desktop (view only, always).
   */
  joinSession(sessionId: string, control: boolean, signal?: AbortSignal, kind: SessionKind = 'terminal') {
    return call<SessionTicket>(kind === 'vnc' ? 'joinVncSession' : 'joinTerminalSession', {
      params: { id: sessionId },
      body: { control } satisfies JoinRequest,
      signal,
    });
  },
  async listSessions(filters: SessionListQuery = {}, signal?: AbortSignal) {
    const body = await call<SessionList>('listSessions', { query: { ...filters }, signal });
    return body.sessions;
  },
  async listLiveSessions(harvesterId?: string, signal?: AbortSignal) {
    const body = await call<LiveSessionList>('listLiveSessions', { query: { harvesterId }, signal });
    return body.sessions;
  },
  endSession(sessionId: string, reason: string) {
    return call<LiveSession>('endSession', { params: { id: sessionId }, body: { reason } satisfies SessionEndRequest });
  },
  getRecording(sessionId: string, signal?: AbortSignal) {
    return call<string>('getRecording', { params: { id: sessionId }, responseType: 'text', signal });
  },
  /** A desktop recording: binary (see @nester/contracts/nester/rfb-recording). */
  getDesktopRecording(sessionId: string, signal?: AbortSignal) {
    return call<ArrayBuffer>('getRecording', { params: { id: sessionId }, responseType: 'arraybuffer', signal });
  },
  async listEnrollmentTokens(signal?: AbortSignal) {
    const body = await call<EnrollmentTokenList>('listEnrollmentTokens', { signal });
    return body.tokens;
  },
  createEnrollmentToken(token: NewEnrollmentToken) {
    return call<CreatedEnrollmentToken>('createEnrollmentToken', { body: token });
  },
  revokeEnrollmentToken(id: string) {
    return call<unknown>('revokeEnrollmentToken', { params: { id } });
  },
  getReleases(signal?: AbortSignal) {
    return call<ReleasesInfo>('getReleases', { signal });
  },
};

export type NesterClient = typeof nester;

/** The app's jsonData, readable by any signed-in user (secrets never leave Grafana's server). */
export async function fetchAppSettings(signal?: AbortSignal): Promise<AppSettings> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<{ jsonData?: AppSettings; enabled?: boolean }>({
        url: APP_SETTINGS_URL,
        method: 'GET',
        abortSignal: signal,
        showErrorAlert: false,
      }),
    );
    return response.data.jsonData ?? {};
  } catch (err) {
    throw toNesterError(err);
  }
}
