/**
 * A WebSocket stand-in that noVNC reads a desktop recording from: open from the start, what noVNC
 * sends (its own handshake answers, update requests) goes nowhere, and `feed` delivers the
 * recorded server bytes as if they had just arrived. noVNC checks the channel's own keys, so
 * every property it needs is present from the start.
 */
export interface ReplayChannel {
  binaryType: string;
  protocol: string;
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: unknown): void;
  close(): void;
  feed(data: Uint8Array): void;
}

const OPEN = 1;
const CLOSED = 3;

export function replayChannel(): ReplayChannel {
  const channel: ReplayChannel = {
    binaryType: 'arraybuffer',
    protocol: '',
    readyState: OPEN,
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send: () => undefined,
    close: () => {
      if (channel.readyState === CLOSED) {
        return;
      }
      channel.readyState = CLOSED;
      channel.onclose?.({ code: 1000, reason: 'replay closed', wasClean: true });
    },
    feed: (data) => {
      if (channel.readyState === OPEN) {
        // A copy: noVNC keeps the buffer, and the recording's bytes are shared slices.
        channel.onmessage?.({ data: data.slice().buffer });
      }
    },
  };
  return channel;
}
