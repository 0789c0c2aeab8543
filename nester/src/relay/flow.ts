// Back-pressure between the two sockets of a session. A source is paused while any of its
// sinks (the other socket's send buffer, the recording file) is over the high-water mark, and
// resumed once all are back under the low-water mark. Pausing a WebSocket stops reading its TCP
// socket, so the kernel's flow control pushes back to the sender: a slow viewer slows its own
// session only, and memory per session stays bounded by the marks.

export interface Watermarks {
  high: number;
  low: number;
}

export class FlowGate {
  private readonly blockers = new Set<string>();

  constructor(private readonly source: { pause(): void; resume(): void }) {}

  block(reason: string): void {
    if (this.blockers.size === 0) this.source.pause();
    this.blockers.add(reason);
  }

  unblock(reason: string): void {
    if (!this.blockers.delete(reason)) return;
    if (this.blockers.size === 0) this.source.resume();
  }

  get paused(): boolean {
    return this.blockers.size > 0;
  }
}

/** What a relay session sends to: the browser's `ws` socket or the agent's AgentLink. */
export interface MessageSink {
  readonly readyState: number;
  readonly OPEN: number;
  readonly bufferedAmount: number;
  send(data: Buffer | string, options: { binary: boolean }, done: (err?: Error) => void): void;
}

/** Sends to `sink`, pausing `gate`'s source while the sink's buffer is over the high-water mark. */
export function sendThrottled(
  sink: MessageSink,
  data: Buffer | string,
  binary: boolean,
  gate: FlowGate,
  marks: Watermarks,
  label: string,
): void {
  if (sink.readyState !== sink.OPEN) return;
  sink.send(data, { binary }, () => {
    if (sink.bufferedAmount <= marks.low) gate.unblock(label);
  });
  if (sink.bufferedAmount > marks.high) gate.block(label);
}
