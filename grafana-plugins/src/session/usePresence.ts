import { useEffect, useState } from 'react';
import type { LiveSession } from '@nester/contracts/nester/api';

import { useSessionDeps } from './deps';

const REFRESH_MS = 5000;

/**
 * The other people connected to the same harvester now (their live sessions, this view's own
 * left out), asked of nester every few seconds while `harvesterId` is set. Empty when the user's
 * role may not list live sessions: presence is a courtesy, not an error to show.
 */
export function usePresence(harvesterId: string | undefined, ownSessionId: string | undefined): LiveSession[] {
  const list = useSessionDeps().client.listLiveSessions;
  // Kept with the harvester they were asked for: a view that moved on shows none of the old ones.
  const [seen, setSeen] = useState<{ harvesterId: string; others: LiveSession[] } | undefined>(undefined);
  useEffect(() => {
    if (!harvesterId || !list) {
      return undefined;
    }
    const setOthers = (others: LiveSession[]) => setSeen({ harvesterId, others });
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      list(harvesterId, controller.signal)
        .then(
          (sessions) =>
            !controller.signal.aborted &&
            setOthers(sessions.filter((s) => s.id !== ownSessionId && s.state !== 'connecting')),
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
  return harvesterId && seen?.harvesterId === harvesterId ? seen.others : [];
}
