import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { useEffect, useState } from 'react';

/** 0:07, 12:03, 1:02:03. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

interface Props {
  /** The session this view is connected to; the timer starts over for a new one. */
  sessionId: string | undefined;
  /** From usePresence: browser ↔ nester round trip of its last answer. */
  roundTripMs: number | undefined;
}

/** The toolbar's session timer and latency, shared by the desktop and the terminal. */
export function SessionVitals({ sessionId, roundTripMs }: Props) {
  const styles = useStyles2(getStyles);
  // Counted from when this view saw the session connect; ticks once a second.
  const [elapsed, setElapsed] = useState<{ sessionId: string; ms: number } | undefined>(undefined);
  useEffect(() => {
    if (!sessionId) {
      return undefined;
    }
    const start = Date.now();
    const timer = setInterval(() => setElapsed({ sessionId, ms: Date.now() - start }), 1000);
    return () => clearInterval(timer);
  }, [sessionId]);
  if (!sessionId) {
    return null;
  }
  return (
    <span className={styles.vitals}>
      <span data-testid="session-timer" title="How long this session has been connected">
        {formatElapsed(elapsed?.sessionId === sessionId ? elapsed.ms : 0)}
      </span>
      <span
        data-testid="session-latency"
        title="Round trip from this browser through Grafana to nester, the relay, measured every 5 s (the agent's leg is not included)"
      >
        {roundTripMs === undefined ? '… ms' : `${roundTripMs} ms`}
      </span>
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  vitals: css({
    display: 'inline-flex',
    gap: theme.spacing(1),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
    padding: theme.spacing(0, 1),
  }),
});
