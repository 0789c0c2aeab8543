import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, Icon, IconName, LinkButton, Spinner, useStyles2 } from '@grafana/ui';
import { ReactNode } from 'react';

import { CONFIG_PAGE } from '../constants';
import { SessionState } from '../session/state';
import { StepView, connectSteps } from './connectSteps';

interface Props {
  state: SessionState;
  /** "remote desktop" or "terminal", for the sentences. */
  what: string;
  /** Which connecting steps to show: a desktop adds the VNC handshake. */
  kind?: 'vnc' | 'terminal';
  onReconnect: () => void;
  /** Shown under the message (e.g. the VNC password form). */
  children?: ReactNode;
}

interface View {
  icon?: IconName;
  spinner?: boolean;
  tone: 'info' | 'warning' | 'error';
  title: string;
  message?: string;
  action?: ReactNode;
  steps?: StepView[];
}

function viewFor(
  state: SessionState,
  what: string,
  kind: 'vnc' | 'terminal',
  onReconnect: () => void,
): View | undefined {
  const retry = (label: string) => (
    <Button size="sm" variant="secondary" icon="sync" onClick={onReconnect}>
      {label}
    </Button>
  );
  switch (state.status) {
    case 'connected':
      return undefined;
    case 'no-harvester':
      return {
        icon: 'info-circle',
        tone: 'info',
        title: 'No harvester selected',
        message: `Set the panel's Harvester option to a harvester id or hostname to open a ${what}. Dashboard variables such as $host work.`,
      };
    case 'connecting': {
      const steps = {
        harvester: 'Looking up the harvester…',
        resume: 'Resuming your session…',
        ticket: 'Requesting a session…',
        socket: 'Connecting through nester to the agent…',
        vnc: 'VNC handshake…',
      };
      return {
        spinner: true,
        tone: 'info',
        title: steps[state.step],
        message: state.attempt > 1 ? `Attempt ${state.attempt}` : undefined,
        steps: connectSteps(kind, state.step),
      };
    }
    case 'credentials':
      return {
        icon: 'key-skeleton-alt',
        tone: 'warning',
        title: state.reason === 'vnc-password' ? 'Password needed' : 'Credentials needed',
        message: state.message,
        action:
          state.reason === 'vnc-password' ? undefined : (
            <LinkButton size="sm" variant="secondary" icon="cog" href={CONFIG_PAGE}>
              Open the app configuration
            </LinkButton>
          ),
      };
    case 'offline':
      return {
        icon: 'power',
        tone: 'warning',
        title: 'Harvester offline',
        message: state.retryInMs
          ? `${state.message} Checking again every ${Math.round(state.retryInMs / 1000)} s.`
          : state.message,
        action: retry('Check now'),
      };
    case 'forbidden':
      return { icon: 'lock', tone: 'error', title: 'Permission denied', message: state.message };
    case 'disconnected':
      return {
        icon: 'times-circle',
        tone: state.close.kind === 'ended' ? 'info' : 'warning',
        title: `Disconnected: ${state.close.title}`,
        message: state.close.code ? `${state.close.detail} (code ${state.close.code})` : state.close.detail,
        action: retry('Reconnect'),
      };
    case 'reconnecting':
      return {
        spinner: true,
        tone: 'warning',
        title: 'Reconnecting…',
        message: `${state.close.title}: ${state.close.detail} Attempt ${state.attempt} in ${Math.round(state.retryInMs / 1000)} s.`,
        action: retry('Reconnect now'),
      };
    case 'error':
      return {
        icon: 'exclamation-triangle',
        tone: 'error',
        title: state.title,
        message: state.message,
        action: retry('Try again'),
      };
  }
}

/** The plain-words overlay for every session state but "connected". */
export function SessionStatus({ state, what, kind = 'terminal', onReconnect, children }: Props) {
  const styles = useStyles2(getStyles);
  const view = viewFor(state, what, kind, onReconnect);
  if (!view) {
    return null;
  }
  return (
    <div
      className={styles.overlay}
      data-testid="session-state"
      data-state={state.status}
      data-step={state.status === 'connecting' ? state.step : undefined}
      role="status"
    >
      <div className={styles.box}>
        <div className={styles[view.tone]}>
          {view.spinner ? <Spinner inline size="xl" /> : <Icon name={view.icon ?? 'info-circle'} size="xxl" />}
        </div>
        <h4 className={styles.title}>{view.title}</h4>
        {view.steps && (
          <ol className={styles.steps} aria-label="Connecting">
            {view.steps.map(({ step, label, progress }) => (
              <li key={step} className={styles[progress]} data-step={step} data-progress={progress}>
                {progress === 'done' ? '✓' : progress === 'current' ? '●' : '○'} {label}
              </li>
            ))}
          </ol>
        )}
        {view.message && <p className={styles.message}>{view.message}</p>}
        {children}
        {view.action}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  overlay: css({
    position: 'absolute',
    inset: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    zIndex: 2,
    overflow: 'auto',
  }),
  box: css({ maxWidth: 480, textAlign: 'center', display: 'flex', flexDirection: 'column', alignItems: 'center' }),
  title: css({ margin: theme.spacing(1, 0) }),
  message: css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(2) }),
  info: css({ color: theme.colors.text.secondary }),
  warning: css({ color: theme.colors.warning.text }),
  error: css({ color: theme.colors.error.text }),
  steps: css({
    listStyle: 'none',
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'center',
    gap: theme.spacing(2),
    padding: 0,
    margin: theme.spacing(0, 0, 1),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  done: css({ color: theme.colors.success.text }),
  current: css({ color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium }),
  pending: css({ color: theme.colors.text.disabled }),
});
