import { useCallback, useEffect, useRef, useState } from 'react';
import type { Harvester } from '@nester/contracts/nester/api';
import type { ReadyMessage, SessionKind } from '@nester/contracts/remote/protocol';

import { SessionHandle, startSession } from './controller';
import { useSessionDeps } from './deps';
import { SessionState } from './state';

export interface RemoteSessionOptions {
  kind: SessionKind;
  harvester: string;
  viewOnly: boolean;
  size?: () => { cols: number; rows: number };
  attach: (socket: WebSocket, harvester: Harvester, ready: ReadyMessage) => () => void;
  /** False until the view is ready to take a socket (e.g. noVNC still loading). */
  enabled?: boolean;
}

/** Runs one remote session for a view; a new one starts when kind, harvester or view-only change. */
export function useRemoteSession(options: RemoteSessionOptions) {
  const { kind, harvester, viewOnly, enabled = true } = options;
  const deps = useSessionDeps();
  const [state, setState] = useState<SessionState>({ status: 'connecting', step: 'harvester', attempt: 1 });
  const handle = useRef<SessionHandle | undefined>(undefined);
  // The latest callbacks, without restarting the session whenever the view re-renders.
  const attachRef = useRef(options.attach);
  const sizeRef = useRef(options.size);
  attachRef.current = options.attach;
  sizeRef.current = options.size;

  useEffect(() => {
    if (!harvester.trim()) {
      setState({ status: 'no-harvester' });
      return undefined;
    }
    if (!enabled) {
      return undefined;
    }
    const session = startSession(
      {
        kind,
        harvester,
        viewOnly,
        size: kind === 'terminal' ? () => sizeRef.current?.() ?? { cols: 80, rows: 24 } : undefined,
        attach: (socket, chosen, ready) => attachRef.current(socket, chosen, ready),
      },
      deps,
      setState,
    );
    handle.current = session;
    return () => {
      session.stop();
      handle.current = undefined;
    };
  }, [kind, harvester, viewOnly, enabled, deps]);

  const reconnect = useCallback(() => handle.current?.reconnect(), []);
  return { state, reconnect, handle };
}
