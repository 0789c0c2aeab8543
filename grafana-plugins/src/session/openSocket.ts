import { CLOSE, CloseDescription, describeClose } from '@nester/contracts/remote/close-codes';
import type { HelloMessage, ReadyMessage } from '@nester/contracts/remote/protocol';

export class SessionClosedError extends Error {
  constructor(readonly close: CloseDescription) {
    super(`${close.title}: ${close.detail}`);
    this.name = 'SessionClosedError';
  }
}

export interface OpenSocketOptions {
  url: string;
  ticket: string;
  /** Extra fields of the hello message (terminal size). */
  hello?: Omit<HelloMessage, 'type' | 'ticket'>;
  /**
   * Receives the socket the moment nester says "ready", synchronously inside that message
   * event, so whoever takes the socket over (noVNC, xterm) already handles the next frame.
   */
  attach: (socket: WebSocket, ready: ReadyMessage) => void;
  createSocket?: (url: string) => WebSocket;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Opens nester's session WebSocket: sends the one-time ticket as the first message (never in
 * the URL, so no proxy logs it), waits for {"type":"ready"} and hands the socket over.
 */
export function openSessionSocket(options: OpenSocketOptions): Promise<ReadyMessage> {
  const { url, ticket, hello, attach, signal } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('Session cancelled', 'AbortError'));
      return;
    }
    let socket: WebSocket;
    try {
      socket = (options.createSocket ?? ((u) => new WebSocket(u)))(url);
    } catch (err) {
      reject(new Error(`Cannot open ${url}: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    socket.binaryType = 'arraybuffer';
    let settled = false;

    const cleanup = () => {
      settled = true;
      clearTimeout(timer);
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: Error, closeCode: number = CLOSE.normal) => {
      if (settled) {
        return;
      }
      cleanup();
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(closeCode);
      }
      reject(err);
    };
    const onOpen = () => socket.send(JSON.stringify({ type: 'hello', ticket, ...hello } satisfies HelloMessage));
    const onMessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') {
        fail(new Error('nester sent data before the session was ready (protocol mismatch).'));
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        parsed = undefined;
      }
      if (!parsed || typeof parsed !== 'object') {
        fail(new Error('nester sent a malformed handshake message.'));
        return;
      }
      const message = parsed as { type?: unknown; message?: unknown };
      if (message.type === 'error') {
        fail(
          new Error(
            typeof message.message === 'string' && message.message ? message.message : 'nester refused the session.',
          ),
        );
        return;
      }
      if (message.type !== 'ready') {
        return; // unknown control messages before ready are ignored, as the contract allows growth
      }
      cleanup();
      attach(socket, message as ReadyMessage);
      resolve(message as ReadyMessage);
    };
    const onClose = (event: CloseEvent) => fail(new SessionClosedError(describeClose(event.code, event.reason)));
    const onAbort = () => fail(new DOMException('Session cancelled', 'AbortError'));
    const timer = setTimeout(
      () => fail(new Error(`nester did not get the session ready within ${Math.round(readyTimeoutMs / 1000)} s.`)),
      readyTimeoutMs,
    );

    socket.addEventListener('open', onOpen);
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose);
    signal?.addEventListener('abort', onAbort);
  });
}
