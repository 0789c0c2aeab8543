// The kernel's clock discipline (NTP) state, from adjtimex(2). No file in /proc or /sys holds
// it, so this collector reads it through a small native addon (native/timex, built by
// `npm run build`); without the addon it fails alone, like a collector whose files are missing.

import { dirname, join } from 'node:path';
import { counter, gauge, type MetricFamily, single } from '../metrics/family';
import type { CollectorDefinition } from './collector';

export interface TimexReading {
  /** adjtimex's return value: the clock state (5 = TIME_ERROR, not synchronised). */
  state: number;
  status: number;
  offset: number;
  freq: number;
  maxerror: number;
  esterror: number;
  constant: number;
  tick: number;
  ppsfreq: number;
  jitter: number;
  shift: number;
  stabil: number;
  jitcnt: number;
  calcnt: number;
  errcnt: number;
  stbcnt: number;
  tai: number;
}

const TIME_ERROR = 5;
const STA_NANO = 0x2000;
const MICRO = 1e6;
/** Frequencies are in ppm with a 16-bit binary fraction (adjtimex(2), NOTES). */
const PPM16FRAC = 1e6 * 65536;

export function timexFamilies(t: TimexReading): MetricFamily[] {
  const divisor = t.status & STA_NANO ? 1e9 : MICRO;
  const pps = 'Pulse per second';
  return [
    gauge(
      'node_timex_sync_status',
      'Is clock synchronized to a reliable server (1 = yes, 0 = no).',
      single(t.state === TIME_ERROR ? 0 : 1),
    ),
    gauge(
      'node_timex_offset_seconds',
      'Time offset in between local system and reference clock.',
      single(t.offset / divisor),
    ),
    gauge('node_timex_frequency_adjustment_ratio', 'Local clock frequency adjustment.', single(1 + t.freq / PPM16FRAC)),
    gauge('node_timex_maxerror_seconds', 'Maximum error in seconds.', single(t.maxerror / MICRO)),
    gauge('node_timex_estimated_error_seconds', 'Estimated error in seconds.', single(t.esterror / MICRO)),
    gauge('node_timex_status', 'Value of the status array bits.', single(t.status)),
    gauge('node_timex_loop_time_constant', 'Phase-locked loop time constant.', single(t.constant)),
    gauge('node_timex_tick_seconds', 'Seconds between clock ticks.', single(t.tick / MICRO)),
    gauge('node_timex_pps_frequency_hertz', `${pps} frequency.`, single(t.ppsfreq / PPM16FRAC)),
    gauge('node_timex_pps_jitter_seconds', `${pps} jitter.`, single(t.jitter / divisor)),
    gauge('node_timex_pps_shift_seconds', `${pps} interval duration.`, single(t.shift)),
    gauge(
      'node_timex_pps_stability_hertz',
      `${pps} stability, average of recent frequency changes.`,
      single(t.stabil / PPM16FRAC),
    ),
    counter('node_timex_pps_jitter_total', `${pps} count of jitter limit exceeded events.`, single(t.jitcnt)),
    counter('node_timex_pps_calibration_total', `${pps} count of calibration intervals.`, single(t.calcnt)),
    counter('node_timex_pps_error_total', `${pps} count of calibration errors.`, single(t.errcnt)),
    counter(
      'node_timex_pps_stability_exceeded_total',
      `${pps} count of stability limit exceeded events.`,
      single(t.stbcnt),
    ),
    gauge('node_timex_tai_offset_seconds', 'International Atomic Time (TAI) offset.', single(t.tai)),
  ];
}

/** Set by the release build: the addons' folder, relative to the bundle (lib/native/timex.node). */
declare const HARVESTER_BUNDLED_ADDONS: string | undefined;

/** Where the addon is: beside the release bundle, or where node-gyp built it in a checkout. */
export function addonPath(): string {
  if (typeof HARVESTER_BUNDLED_ADDONS === 'string') return join(__dirname, HARVESTER_BUNDLED_ADDONS, 'timex.node');
  return join(dirname(require.resolve('@nester/agent/package.json')), 'native/timex/build/Release/timex.node');
}

function loadAddon(): { read(): TimexReading } {
  const addon = { exports: {} as { read(): TimexReading } };
  const path = addonPath();
  try {
    process.dlopen(addon, path);
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new Error(
      `the timex collector needs its native addon (${path}): build it with \`npm run build\`, which needs a C compiler (${why})`,
      { cause: err },
    );
  }
  return addon.exports;
}

export const timex: CollectorDefinition = {
  name: 'timex',
  defaultEnabled: true,
  create: () => {
    let addon: { read(): TimexReading } | undefined;
    return () => timexFamilies((addon ??= loadAddon()).read());
  },
};
