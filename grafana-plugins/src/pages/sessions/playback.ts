import { Cast, eventIndexAfter, parseSize } from './asciicast';

/** What a terminal must do to show a recording at some moment. */
export interface PlaybackStep {
  reset: boolean;
  /** Output to write and sizes to apply, in order. */
  actions: Array<{ write: string } | { resize: { cols: number; rows: number } }>;
  playedIndex: number;
}

/**
 * Moves playback from `playedIndex` (events already shown) to `time`. Going back means
 * starting over from the header's size, since a terminal cannot un-write output.
 */
export function stepTo(cast: Cast, playedIndex: number, time: number): PlaybackStep {
  const target = eventIndexAfter(cast.events, time);
  const reset = target < playedIndex;
  const start = reset ? 0 : playedIndex;
  const actions: PlaybackStep['actions'] = reset
    ? [{ resize: { cols: cast.header.width, rows: cast.header.height } }]
    : [];
  let pending = '';
  for (const event of cast.events.slice(start, target)) {
    if (event.code === 'o') {
      pending += event.data;
    } else if (event.code === 'r') {
      const size = parseSize(event.data);
      if (size) {
        if (pending) {
          actions.push({ write: pending });
          pending = '';
        }
        actions.push({ resize: size });
      }
    }
  }
  if (pending) {
    actions.push({ write: pending });
  }
  return { reset, actions, playedIndex: target };
}

export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
