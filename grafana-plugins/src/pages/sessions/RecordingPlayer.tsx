import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { IconButton, RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import { useCallback, useEffect, useRef, useState } from 'react';

import { terminalTheme } from '../../terminal/theme';
import { useSessionDeps } from '../../session/deps';
import { TerminalLike, createXterm } from '../../terminal/xterm';
import { Cast } from './asciicast';
import { formatClock, stepTo } from './playback';

interface Props {
  cast: Cast;
}

const speeds = [1, 2, 4].map((value) => ({ label: `${value}×`, value }));

/** Replays a terminal recording in xterm.js, with play/pause, seek and speed. */
export function RecordingPlayer({ cast }: Props) {
  const createTerminal = useSessionDeps().createTerminal ?? createXterm;
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const hostRef = useRef<HTMLDivElement>(null);
  const terminalRef = useRef<TerminalLike | undefined>(undefined);
  const playedRef = useRef(0);
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);

  const show = useCallback(
    (time: number) => {
      const terminal = terminalRef.current;
      if (!terminal) {
        return;
      }
      const step = stepTo(cast, playedRef.current, time);
      if (step.reset) {
        terminal.reset();
      }
      for (const action of step.actions) {
        if ('write' in action) {
          terminal.write(action.write);
        } else {
          terminal.resize(action.resize.cols, action.resize.rows);
        }
      }
      playedRef.current = step.playedIndex;
    },
    [cast],
  );

  // A new recording needs a new terminal; its theme comes from the next effect, which runs
  // right after this one.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) {
      return undefined;
    }
    const terminal = createTerminal({ cols: cast.header.width, rows: cast.header.height, disableStdin: true });
    terminal.open(host);
    terminalRef.current = terminal;
    playedRef.current = 0;
    setPosition(0);
    return () => {
      terminal.dispose();
      terminalRef.current = undefined;
    };
  }, [cast, createTerminal]);

  // The theme, live: on each new terminal (hence cast and createTerminal) and each theme change.
  useEffect(() => {
    if (terminalRef.current) {
      terminalRef.current.options.theme = terminalTheme(theme);
    }
  }, [theme, cast, createTerminal]);

  useEffect(() => show(position), [position, show]);

  useEffect(() => {
    if (!playing) {
      return undefined;
    }
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const elapsed = ((now - last) / 1000) * speed;
      last = now;
      setPosition((current) => {
        const next = Math.min(cast.duration, current + elapsed);
        if (next >= cast.duration) {
          setPlaying(false);
        }
        return next;
      });
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, cast.duration]);

  const togglePlay = () => {
    if (!playing && position >= cast.duration) {
      setPosition(0);
    }
    setPlaying(!playing);
  };

  return (
    <div className={styles.player} data-testid="recording-player">
      <div className={styles.screen} ref={hostRef} data-testid="recording-screen" />
      <div className={styles.controls}>
        <IconButton
          name={playing ? 'pause' : 'play'}
          size="lg"
          aria-label={playing ? 'Pause' : 'Play'}
          tooltip={playing ? 'Pause' : 'Play'}
          onClick={togglePlay}
        />
        <input
          className={styles.seek}
          type="range"
          min={0}
          max={cast.duration || 0}
          step="any"
          value={position}
          aria-label="Seek"
          onChange={(event) => setPosition(Number(event.currentTarget.value))}
        />
        <span className={styles.clock} data-testid="recording-clock">
          {formatClock(position)} / {formatClock(cast.duration)}
        </span>
        <RadioButtonGroup size="sm" options={speeds} value={speed} onChange={setSpeed} />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  player: css({ border: `1px solid ${theme.colors.border.weak}`, borderRadius: theme.shape.radius.default }),
  screen: css({ padding: theme.spacing(1), overflow: 'auto', background: theme.colors.background.primary }),
  controls: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    borderTop: `1px solid ${theme.colors.border.weak}`,
  }),
  seek: css({ flex: 1 }),
  clock: css({ fontVariantNumeric: 'tabular-nums', color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
});
