import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2 } from '@grafana/ui';

export interface JoinModeProps {
  /** Joined with control (else view only). */
  control: boolean;
  /** The owner lets control joiners type right now (nester's `joiners` frame). */
  allowed: boolean;
  /** Whose session this is, when nester said. */
  owner?: string;
}

/** What a joiner's keyboard does in someone else's terminal, in words: it changes with the owner's lock. */
export function joinModeText({ control, allowed, owner }: JoinModeProps): string {
  const whose = owner ? `${owner}'s` : "the owner's";
  if (!control) {
    return `View only: you see ${whose} terminal; your typing does not reach it`;
  }
  return allowed
    ? `With control: typing enabled, what you type runs in ${whose} shell`
    : `With control, typing off: ${owner ?? 'the owner'} has not allowed joiners to type`;
}

/** A joiner's bar under the toolbar: view only, or with control and whether typing is on now. */
export function JoinMode(props: JoinModeProps) {
  const styles = useStyles2(getStyles);
  const typing = props.control && props.allowed;
  return (
    <div className={styles.bar} data-testid="join-mode" data-typing={typing ? 'on' : 'off'} role="status">
      <Icon name={typing ? 'unlock' : props.control ? 'lock' : 'eye'} size="sm" />
      <span>{joinModeText(props)}</span>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    padding: theme.spacing(0.25, 1),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
});
