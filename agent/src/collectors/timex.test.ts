import { existsSync } from 'node:fs';
import { addonPath, timex, timexFamilies, type TimexReading } from './timex';

const reading: TimexReading = {
  state: 0,
  status: 0x2001, // STA_PLL | STA_NANO
  offset: -1500, // ns, since STA_NANO is set
  freq: -655360, // -10 ppm in 16.16 fixed point
  maxerror: 16000,
  esterror: 250,
  constant: 7,
  tick: 10000,
  ppsfreq: 65536,
  jitter: 2000,
  shift: 4,
  stabil: 131072,
  jitcnt: 3,
  calcnt: 5,
  errcnt: 1,
  stbcnt: 2,
  tai: 37,
};

test('adjtimex values are scaled as node_exporter scales them', () => {
  const values = Object.fromEntries(timexFamilies(reading).map((f) => [f.name, f.samples[0].value]));
  expect(values).toMatchObject({
    node_timex_sync_status: 1,
    node_timex_offset_seconds: -1.5e-6,
    node_timex_frequency_adjustment_ratio: 1 - 10e-6,
    node_timex_maxerror_seconds: 0.016,
    node_timex_estimated_error_seconds: 0.00025,
    node_timex_status: 0x2001,
    node_timex_tick_seconds: 0.01,
    node_timex_pps_frequency_hertz: 1e-6,
    node_timex_pps_jitter_seconds: 2e-6,
    node_timex_pps_stability_hertz: 2e-6,
    node_timex_tai_offset_seconds: 37,
    node_timex_pps_error_total: 1,
  });
  const micro = Object.fromEntries(
    timexFamilies({ ...reading, status: 0x1, state: 5 }).map((f) => [f.name, f.samples[0].value]),
  );
  expect(micro.node_timex_offset_seconds).toBe(-0.0015); // microseconds without STA_NANO
  expect(micro.node_timex_sync_status).toBe(0); // TIME_ERROR: not synchronised
});

test('the native addon reads this kernel', async () => {
  expect(existsSync(addonPath())).toBe(true); // built by npm run build
  const families = await timex.create({} as never)();
  const tick = families.find((f) => f.name === 'node_timex_tick_seconds')!.samples[0].value;
  expect(tick).toBeGreaterThan(0);
  expect(tick).toBeLessThan(1);
});
