// The people watching someone else's terminal (a join, as Teleport's session observers): the
// pty's output fans out to each of them, their input is dropped unless they asked for control and
// the owner allows it. A joiner that cannot keep up is let go rather than slowing the owner's
// shell down: its send buffer is bounded by the high-water mark.

import type { SessionJoiner } from '@nester/contracts/nester/api';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import type WebSocket from 'ws';

/** At most this many joiners per terminal: each costs a copy of the output. */
export const MAX_JOINERS = 8;

export const JOINER_TOO_SLOW = 'your connection could not keep up with the terminal; join again';

export interface Joiner {
  ws: WebSocket;
  user: string | null;
  /** Asked for (and was granted) control; types only while the owner allows it. */
  control: boolean;
  joinedAt: Date;
  remoteAddress: string | null;
  /** Answered the last ping (the session's ping sweep). */
  alive?: boolean;
}

export class Joiners {
  private readonly all: Joiner[] = [];

  constructor(private readonly highWaterMark: number) {}

  add(joiner: Joiner): void {
    this.all.push(joiner);
  }

  /** Forgets `ws`; the joiner it was, if any. */
  remove(ws: WebSocket): Joiner | undefined {
    const index = this.all.findIndex((j) => j.ws === ws);
    return index < 0 ? undefined : this.all.splice(index, 1)[0];
  }

  find(ws: WebSocket): Joiner | undefined {
    return this.all.find((j) => j.ws === ws);
  }

  /** Sends to every joiner; one over its buffer's high-water mark is closed instead. */
  send(data: Buffer | string, binary: boolean): void {
    for (const joiner of this.all) {
      const { ws } = joiner;
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > this.highWaterMark) {
        ws.close(CLOSE.timedOut, JOINER_TOO_SLOW);
        continue;
      }
      ws.send(data, { binary });
    }
  }

  /** What the live list and the `joiners` frame show: who, with control or not, since when. */
  list(): SessionJoiner[] {
    return this.all.map((j) => ({ user: j.user, control: j.control, joinedAt: j.joinedAt.toISOString() }));
  }

  /**
   * One round of the ping sweep: a joiner that did not answer the previous ping is cut off (its
   * close counts as a dropped network and is audited as its leave); the others are pinged.
   */
  ping(): void {
    for (const joiner of this.all) {
      if (joiner.alive === false) {
        joiner.ws.terminate();
        continue;
      }
      joiner.alive = false;
      if (joiner.ws.readyState === joiner.ws.OPEN) joiner.ws.ping();
    }
  }

  sockets(): WebSocket[] {
    return this.all.map((j) => j.ws);
  }

  get size(): number {
    return this.all.length;
  }
}
