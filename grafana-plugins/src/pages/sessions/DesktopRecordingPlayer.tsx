import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import type RFB from '@novnc/novnc';
import { useEffect, useRef, useState } from 'react';
import type { ParsedRfbRecording } from '@nester/contracts/nester/rfb-recording';

import { useSessionDeps } from '../../session/deps';
import { loadRfb as loadNoVnc } from '../../remote-desktop/loadRfb';
import { formatClock } from './playback';
import { replayChannel } from './replayChannel';

const speeds = [1, 4, 16].map((value) => ({ label: `${value}×`, value }));
/** How often the player feeds due records and moves its clock. */
const TICK_MS = 50;

/**
 * Replays a desktop recording in noVNC: a fresh client fed the VNC server's recorded bytes at
 * their times redraws what the owner saw (its own messages go nowhere). No seeking: an RFB
 * stream only makes sense from its start, so Restart plays it again from there.
 */
export function DesktopRecordingPlayer({ recording }: { recording: ParsedRfbRecording }) {
  const loadRfb = useSessionDeps().loadRfb ?? loadNoVnc;
  const styles = useStyles2(getStyles);
  const screenRef = useRef<HTMLDivElement>(null);
  const [speed, setSpeed] = useState(1);
  // Read by the running replay's timer: a new speed applies from the next tick, without a restart.
  const speedRef = useRef(speed);
  useEffect(() => {
    speedRef.current = speed;
  }, [speed]);
  const [run, setRun] = useState(0);
  const [position, setPosition] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const total = recording.records.length ? recording.records[recording.records.length - 1].at : 0;

  useEffect(() => {
    const screen = screenRef.current;
    if (!screen) {
      return undefined;
    }
    let rfb: RFB | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let cancelled = false;
    setPosition(0);
    loadRfb().then(
      (Rfb) => {
        if (cancelled) {
          return;
        }
        const channel = replayChannel();
        rfb = new Rfb(screen, channel as unknown as WebSocket, { shared: true });
        rfb.viewOnly = true;
        rfb.scaleViewport = true;
        rfb.background = 'transparent';
        let next = 0;
        let played = 0;
        let last = performance.now();
        timer = setInterval(() => {
          const now = performance.now();
          played += (now - last) * speedRef.current;
          last = now;
          while (next < recording.records.length && recording.records[next].at <= played) {
            channel.feed(recording.records[next].data);
            next++;
          }
          setPosition(Math.min(played, total));
          if (next >= recording.records.length) {
            clearInterval(timer);
          }
        }, TICK_MS);
      },
      (err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      cancelled = true;
      clearInterval(timer);
      rfb?.disconnect();
    };
  }, [recording, total, run, loadRfb]);

  return (
    <div className={styles.root}>
      <div className={styles.controls}>
        <Button size="sm" variant="secondary" icon="history" onClick={() => setRun((n) => n + 1)}>
          Restart
        </Button>
        <span data-testid="desktop-replay-clock">
          {formatClock(position / 1000)} / {formatClock(total / 1000)}
        </span>
        <RadioButtonGroup size="sm" options={speeds} value={speed} onChange={setSpeed} />
        {recording.truncated && <span>The recording stopped at nester&apos;s size cap.</span>}
        {error && <span role="alert">Could not load the VNC client: {error}</span>}
      </div>
      <div ref={screenRef} className={styles.screen} data-testid="desktop-replay-screen" />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), height: '70vh' }),
  controls: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  screen: css({ position: 'relative', flex: 1, minHeight: 0, background: theme.colors.background.canvas }),
});
