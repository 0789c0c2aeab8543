import { useEffect, useState } from 'react';
import type { LiveSession } from '@nester/contracts/nester/api';

import { useSessionDeps } from './deps';

const REFRESH_MS = 5000;

export interface PresenceView {
  others: LiveSession[];
  /** This view's own session as nester lists it (its joiners: who watches it), once seen. */
  own?: LiveSession;
  /**
   * How long the last answer took, browser → Grafana's proxy → nester (the relay) and back, in
   * ms: the session's latency up to the relay (the agent's leg is not in it). Undefined until an
   * answer came.
   */
  roundTripMs?: number;
}

/**
 * The other people connected to the same harvester now (their live sessions, this view's own
 * left out), asked of nester every few seconds while `harvesterId` is set. Empty when the user's
 * role may not list live sessions: presence is a courtesy, not an error to show.
 */
export function usePresence(harvesterId: string | undefined, ownSessionId: string | undefined): PresenceView {
  const list = useSessionDeps().client.listLiveSessions;
  // Kept with the harvester they were asked for: a view that moved on shows none of the old ones.
  const [seen, setSeen] = useState<
    { harvesterId: string; others: LiveSession[]; own?: LiveSession; roundTripMs?: number } | undefined
  >(undefined);
  useEffect(() => {
    if (!harvesterId || !list) {
      return undefined;
    }
    const setOthers = (others: LiveSession[], roundTripMs?: number, own?: LiveSession) =>
      setSeen({ harvesterId, others, own, roundTripMs });
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      const sent = performance.now();
      list(harvesterId, controller.signal)
        .then(
          (sessions) =>
            !controller.signal.aborted &&
            setOthers(
              sessions.filter((s) => s.id !== ownSessionId && s.state !== 'connecting'),
              Math.round(performance.now() - sent),
              sessions.find((s) => s.id === ownSessionId),
            ),
          () => !controller.signal.aborted && setOthers([]),
        )
        .finally(() => {
          if (!controller.signal.aborted) {
            timer = setTimeout(run, REFRESH_MS);
          }
        });
    };
    run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [harvesterId, ownSessionId, list]);
  return harvesterId && seen?.harvesterId === harvesterId
    ? { others: seen.others, own: seen.own, roundTripMs: seen.roundTripMs }
    : { others: [] };
}
