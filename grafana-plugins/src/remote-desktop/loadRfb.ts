import type RFB from '@novnc/novnc';

export type RfbClass = typeof RFB;

/**
 * noVNC 1.7 is an ES module with a top-level await. Imported statically it would make the
 * plugin's AMD factory return a Promise and hide the `plugin` export from Grafana, so it is
 * loaded here, lazily, as its own chunk.
 */
export function loadRfb(): Promise<RfbClass> {
  return import(/* webpackChunkName: "novnc" */ '@novnc/novnc').then((module) => module.default);
}
