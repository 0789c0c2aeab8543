import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';
import type { LiveSession, SessionJoiner } from '@nester/contracts/nester/api';

/** What one other person is doing on the machine, in words. */
export function presenceLabel(session: LiveSession): string {
  const what = session.kind === 'vnc' ? 'desktop' : 'terminal';
  const how = session.state === 'detached' ? ', away' : session.viewOnly ? ', view only' : '';
  return `${session.user || 'unknown user'} (${what}${how})`;
}

/** Someone who joined this very session, in words. */
export function joinerLabel(joiner: SessionJoiner): string {
  return `${joiner.user || 'unknown user'} (watching${joiner.control ? ', may type' : ', view only'})`;
}

/**
 * "Also here: bob (terminal), carol (desktop, view only)": who else is on this harvester, and
 * who joined this session ("dave (watching, view only)").
 */
export function Presence({ others, joiners = [] }: { others: LiveSession[]; joiners?: SessionJoiner[] }) {
  const styles = useStyles2(getStyles);
  if (others.length === 0 && joiners.length === 0) {
    return null;
  }
  return (
    <div className={styles.bar} data-testid="presence" role="status" aria-label="Also connected to this machine">
      <Icon name="users-alt" size="sm" />
      <span>Also here:</span>
      {others.map((session) => (
        <span key={session.id} className={styles.person} data-testid="presence-user" data-user={session.user ?? ''}>
          {presenceLabel(session)}
        </span>
      ))}
      {joiners.map((joiner) => (
        <span
          key={`${joiner.user}-${joiner.joinedAt}`}
          className={styles.person}
          data-testid="presence-joiner"
          data-user={joiner.user ?? ''}
        >
          {joinerLabel(joiner)}
        </span>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    flexWrap: 'wrap',
    padding: theme.spacing(0.25, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    background: theme.colors.background.secondary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  person: css({
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.background.canvas,
    color: theme.colors.text.primary,
  }),
});
