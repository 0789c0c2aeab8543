/** Grafana organisation roles, weakest first. */
export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

const rank: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 };

/** Grafana's HasRole: Admin includes Editor includes Viewer. */
export function roleAllows(userRole: string | undefined, required: OrgRole): boolean {
  const have = rank[userRole as OrgRole] ?? 0;
  return have >= rank[required];
}
