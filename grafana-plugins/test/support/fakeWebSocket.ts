/**
 * A WebSocket double for jsdom component tests (no network there): records what the page
 * sends and lets the test play nester's side (open, messages, close with a code).
 */
export class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  readyState = FakeWebSocket.CONNECTING;
  binaryType: BinaryType = 'blob';
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  sent: Array<string | Uint8Array | ArrayBuffer> = [];
  closedWith?: { code?: number; reason?: string };
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {
    super();
  }

  send(data: string | Uint8Array | ArrayBuffer) {
    if (this.readyState !== FakeWebSocket.OPEN) {
      throw new Error('send on a socket that is not open');
    }
    this.sent.push(data);
  }

  close(code?: number, reason?: string) {
    if (this.readyState === FakeWebSocket.CLOSED) {
      return;
    }
    this.closedWith = { code, reason };
    this.serverClose(code ?? 1005, reason ?? '');
  }

  override dispatchEvent(event: Event): boolean {
    const handler = (this as unknown as Record<string, unknown>)[`on${event.type}`];
    if (typeof handler === 'function') {
      handler.call(this, event);
    }
    return super.dispatchEvent(event);
  }

  // nester's side
  open() {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  receive(data: string | ArrayBuffer | object) {
    // ArrayBuffers from another realm (node's TextEncoder under jsdom) fail instanceof.
    const binary = Object.prototype.toString.call(data) === '[object ArrayBuffer]';
    const payload = typeof data === 'string' || binary ? data : JSON.stringify(data);
    this.dispatchEvent(new MessageEvent('message', { data: payload }));
  }

  serverClose(code: number, reason = '') {
    this.readyState = FakeWebSocket.CLOSED;
    const event = new Event('close') as CloseEvent;
    Object.assign(event, { code, reason, wasClean: code === 1000 });
    this.dispatchEvent(event);
  }

  /** The JSON text frames sent so far. */
  jsonSent(): Array<Record<string, unknown>> {
    return this.sent.filter((m): m is string => typeof m === 'string').map((m) => JSON.parse(m));
  }
}

/** A factory that keeps every socket it made, for session tests. */
export function socketFactory() {
  const sockets: FakeWebSocket[] = [];
  const create = (url: string) => {
    const socket = new FakeWebSocket(url);
    sockets.push(socket);
    return socket as unknown as WebSocket;
  };
  return { sockets, create, last: () => sockets[sockets.length - 1] };
}
