import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Harvester } from '@nester/contracts/nester/api';
import type { ReadyMessage, SessionKind } from '@nester/contracts/remote/protocol';

import { SessionHandle, startSession } from './controller';
import { useSessionDeps } from './deps';
import { SessionState } from './state';

export interface RemoteSessionOptions {
  kind: SessionKind;
  harvester: string;
  viewOnly: boolean;
  /** Join this running session of someone else's (see SessionParams.join). */
  join?: string;
  size?: () => { cols: number; rows: number };
  /** Takes the ready socket over; `session` is the session it belongs to (to note why it ends). */
  attach: (socket: WebSocket, harvester: Harvester, ready: ReadyMessage, session: SessionHandle) => () => void;
  /** False until the view is ready to take a socket (e.g. noVNC still loading). */
  enabled?: boolean;
}

const starting: SessionState = { status: 'connecting', step: 'harvester', attempt: 1 };

/** Runs one remote session for a view; a new one starts when kind, harvester or view-only change. */
export function useRemoteSession(options: RemoteSessionOptions) {
  const { kind, harvester, viewOnly, join, enabled = true } = options;
  const deps = useSessionDeps();
  const [state, setState] = useState<SessionState>(starting);
  const handle = useRef<SessionHandle | undefined>(undefined);
  // The latest callbacks, without restarting the session whenever the view re-renders; updated
  // after each render, before the session's effect runs.
  const attachRef = useRef(options.attach);
  const sizeRef = useRef(options.size);
  useLayoutEffect(() => {
    attachRef.current = options.attach;
    sizeRef.current = options.size;
  });
  // No session runs without a harvester, so that state is derived, not set; the state the
  // stopped session left behind is dropped, so a harvester set again starts from "connecting".
  const noHarvester = !harvester.trim();
  const [hadNoHarvester, setHadNoHarvester] = useState(noHarvester);
  if (noHarvester !== hadNoHarvester) {
    setHadNoHarvester(noHarvester);
    setState(starting);
  }

  useEffect(() => {
    if (noHarvester || !enabled) {
      return undefined;
    }
    const session = startSession(
      {
        kind,
        harvester,
        viewOnly,
        join,
        size: kind === 'terminal' ? () => sizeRef.current?.() ?? { cols: 80, rows: 24 } : undefined,
        attach: (socket, chosen, ready) => attachRef.current(socket, chosen, ready, session),
      },
      deps,
      setState,
    );
    handle.current = session;
    return () => {
      session.stop();
      handle.current = undefined;
    };
  }, [kind, harvester, noHarvester, viewOnly, join, enabled, deps]);

  const reconnect = useCallback(() => handle.current?.reconnect(), []);
  const end = useCallback(() => handle.current?.end(), []);
  return {
    end,
    state: noHarvester ? ({ status: 'no-harvester' } satisfies SessionState) : state,
    reconnect,
  };
}
