import { NesterError } from '../../src/api/errors';
import { operations } from '../../src/api/operations';
import { AppSettings, Harvester, SessionTicket } from '../../src/api/types';
import { SessionDeps } from '../../src/session/controller';

export const harvester = (overrides: Partial<Harvester> = {}): Harvester => ({
  id: 'h_1',
  hostname: 'web-07',
  status: 'online',
  capabilities: { vnc: true, terminal: true },
  lastSeen: '2026-11-26T10:00:00.000Z',
  os: { prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  labels: { site: 'paris' },
  ...overrides,
});

export interface FakeNesterOptions {
  harvesters?: Harvester[];
  settings?: AppSettings;
  /** Makes session creation fail as Grafana's proxy or nester would. */
  createError?: NesterError;
}

/** The nester client as a test double: a fixed fleet, tickets counted. */
export function fakeNester(options: FakeNesterOptions = {}) {
  const fleet = options.harvesters ?? [harvester()];
  const tickets: Array<{ kind: string; body: Record<string, unknown> }> = [];
  const deps = (createSocket: (url: string) => WebSocket): SessionDeps => ({
    loadSettings: async () => options.settings ?? { nesterUrl: 'http://nester:8080' },
    createSocket,
    client: {
      async getHarvester(id) {
        const found = fleet.find((h) => h.id === id);
        if (!found) {
          throw new NesterError('not-found', `unknown harvester ${id}`, 404);
        }
        return found;
      },
      async listHarvesters(query = {}) {
        return fleet.filter((h) => !query.q || h.hostname.includes(query.q));
      },
      async createSession(kind, body) {
        if (options.createError) {
          throw options.createError;
        }
        tickets.push({ kind, body });
        const ticket: SessionTicket = {
          sessionId: `s_${tickets.length}`,
          ticket: `ticket-${tickets.length}`,
          websocketUrl: 'ws://nester.test/ws/session',
          kind,
          viewOnly: Boolean(body.viewOnly),
        };
        return ticket;
      },
    },
  });
  return { deps, tickets, fleet };
}

export const forbidden = (name: keyof typeof operations) =>
  new NesterError(
    'forbidden',
    `Your Grafana role does not allow you to ${operations[name].what}: it needs the ${operations[name].role} role.`,
    403,
    operations[name],
  );
