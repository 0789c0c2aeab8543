import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export type OrgRole = 'Viewer' | 'Editor' | 'Admin';
export const orgRoles: OrgRole[] = ['Viewer', 'Editor', 'Admin'];

export interface SandboxUser {
  id: number;
  uid: string;
  login: string;
  name: string;
  email: string;
  role: OrgRole;
}

const rank: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 };

/** Grafana's RoleType.Includes: Admin includes Editor includes Viewer. */
export function roleIncludes(have: OrgRole, wanted: string): boolean {
  const needed = rank[wanted as OrgRole];
  return needed !== undefined && rank[have] >= needed;
}

export function isOrgRole(value: unknown): value is OrgRole {
  return typeof value === 'string' && (orgRoles as string[]).includes(value);
}

export function makeUser(login: string, role: OrgRole): SandboxUser {
  const clean = login.trim().slice(0, 64) || 'admin';
  let hash = 0;
  for (const c of clean) {
    hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  }
  return {
    id: (hash % 100000) + 1,
    uid: `sandbox-${clean.replace(/[^a-zA-Z0-9_-]/g, '_')}`,
    login: clean,
    name: clean,
    email: `${clean.replace(/[^a-zA-Z0-9._-]/g, '_')}@sandbox.local`,
    role,
  };
}

export const SESSION_COOKIE = 'grafana_sandbox_session';

/**
 * Who is signed in: a cookie naming login and role, signed with a key that lives as long as
 * the server, so a page cannot promote itself by editing the cookie. There is no password:
 * the sandbox stands in for Grafana's login, it is not one.
 */
export class SessionSigner {
  private readonly key = randomBytes(32);

  constructor(private readonly fallback: SandboxUser) {}

  cookieFor(user: SandboxUser): string {
    const payload = Buffer.from(JSON.stringify({ login: user.login, role: user.role })).toString('base64url');
    const mac = createHmac('sha256', this.key).update(payload).digest('base64url');
    return `${SESSION_COOKIE}=${payload}.${mac}; Path=/; HttpOnly; SameSite=Lax`;
  }

  userOf(req: IncomingMessage): SandboxUser {
    const cookie = (req.headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) {
      return this.fallback;
    }
    const [payload, mac] = cookie.slice(SESSION_COOKIE.length + 1).split('.');
    if (!payload || !mac) {
      return this.fallback;
    }
    const expected = createHmac('sha256', this.key).update(payload).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return this.fallback;
    }
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (!claims || typeof claims !== 'object') {
        return this.fallback;
      }
      const { login, role } = claims as { login?: unknown; role?: unknown };
      return isOrgRole(role) && typeof login === 'string' ? makeUser(login, role) : this.fallback;
    } catch {
      return this.fallback;
    }
  }
}
