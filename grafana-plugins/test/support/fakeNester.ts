import type { Harvester, SessionRequest, SessionTicket } from '@nester/contracts/nester/api';

import { NesterError } from '../../src/api/errors';
import { operations } from '../../src/api/operations';
import { AppSettings } from '../../src/config/settings';
import { SessionDeps } from '../../src/session/controller';

/** A harvester as nester answers it. */
export const harvester = (overrides: Partial<Harvester> = {}): Harvester => ({
  id: 'h_1',
  hostname: 'web-07',
  machineId: '4c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f',
  os: { id: 'debian', name: 'Debian GNU/Linux', version: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  kernel: '6.1.0-18-amd64',
  arch: 'x64',
  cpus: 2,
  memoryBytes: 4_294_967_296,
  addresses: [],
  agentVersion: '0.1.0',
  capabilities: { vnc: true, terminal: true },
  labels: { site: 'paris' },
  agentLabels: { site: 'paris' },
  labelsSetByOperator: false,
  replacedBy: null,
  status: 'online',
  lastSeen: '2026-11-26T10:00:00.000Z',
  enrolledAt: '2026-11-20T09:00:00.000Z',
  revokedAt: null,
  ...overrides,
});

export interface FakeNesterOptions {
  harvesters?: Harvester[];
  settings?: AppSettings;
  /** Makes session creation fail as Grafana's proxy or nester would. */
  createError?: NesterError;
  /** Makes resuming fail (the session ended, or belongs to someone else). */
  resumeError?: NesterError;
}

/** The nester client as a test double: a fixed fleet, tickets counted. */
export function fakeNester(options: FakeNesterOptions = {}) {
  const fleet = options.harvesters ?? [harvester()];
  const tickets: Array<{ kind: string; body: SessionRequest }> = [];
  const resumes: string[] = [];
  const joins: Array<{ sessionId: string; control: boolean }> = [];
  const deps = (createSocket: (url: string) => WebSocket): SessionDeps => ({
    loadSettings: () => Promise.resolve(options.settings ?? { nesterUrl: 'http://nester:8080' }),
    createSocket,
    client: {
      getHarvester(id) {
        const found = fleet.find((h) => h.id === id);
        return found
          ? Promise.resolve(found)
          : Promise.reject(new NesterError('not-found', `unknown harvester ${id}`, 404));
      },
      listHarvesters(query = {}) {
        return Promise.resolve(fleet.filter((h) => !query.q || h.hostname.includes(query.q)));
      },
      createSession(kind, body) {
        if (options.createError) {
          return Promise.reject(options.createError);
        }
        tickets.push({ kind, body });
        const ticket: SessionTicket = {
          sessionId: `s_${tickets.length}`,
          ticket: `ticket-${tickets.length}`,
          websocketUrl: 'ws://nester.test/ws/session',
          expiresAt: '2026-11-26T10:00:30.000Z',
          kind,
          viewOnly: Boolean(body.viewOnly),
        };
        return Promise.resolve(ticket);
      },
      resumeSession(sessionId) {
        if (options.resumeError) {
          return Promise.reject(options.resumeError);
        }
        resumes.push(sessionId);
        return Promise.resolve({
          sessionId,
          ticket: `resume-${resumes.length}`,
          websocketUrl: 'ws://nester.test/ws/session',
          expiresAt: '2026-11-26T10:00:30.000Z',
          kind: 'terminal',
          viewOnly: false,
        } satisfies SessionTicket);
      },
      joinSession(sessionId, control) {
        joins.push({ sessionId, control });
        return Promise.resolve({
          sessionId,
          ticket: `j_${joins.length}.secret`,
          websocketUrl: 'ws://nester.test/ws/session',
          expiresAt: '2026-11-26T10:00:30.000Z',
          kind: 'terminal',
          viewOnly: !control,
        } satisfies SessionTicket);
      },
    },
  });
  return { deps, tickets, resumes, joins, fleet };
}

export const forbidden = (name: keyof typeof operations) =>
  new NesterError(
    'forbidden',
    `Your Grafana role does not allow you to ${operations[name].what}: it needs the ${operations[name].role} role.`,
    403,
    operations[name],
  );
