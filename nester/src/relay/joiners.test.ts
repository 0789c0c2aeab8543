import { CLOSE } from '@nester/contracts/remote/close-codes';
import type WebSocket from 'ws';
import { type Joiner, JOINER_TOO_SLOW, Joiners } from './joiners';

/** The part of a `ws` socket Joiners uses, recording what it was asked to do. */
function socket(bufferedAmount = 0) {
  const sent: (Buffer | string)[] = [];
  const closed: [number, string][] = [];
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount,
    send: (data: Buffer | string) => sent.push(data),
    close: (code: number, reason: string) => closed.push([code, reason]),
    terminate: () => closed.push([1006, 'terminated']),
    ping: () => {},
  };
  return { ws: ws as unknown as WebSocket, sent, closed, state: ws };
}

const joiner = (ws: WebSocket, user: string): Joiner => ({
  ws,
  user,
  control: false,
  joinedAt: new Date('2026-12-03T10:00:00Z'),
  remoteAddress: null,
});

test('output fans out to every joiner; one over the high-water mark is let go, not waited for', () => {
  const joiners = new Joiners(1000);
  const fast = socket();
  const slow = socket(5000);
  joiners.add(joiner(fast.ws, 'bob'));
  joiners.add(joiner(slow.ws, 'carol'));
  joiners.send(Buffer.from('ls\r\n'), true);
  expect(fast.sent).toEqual([Buffer.from('ls\r\n')]);
  expect(slow.sent).toEqual([]);
  expect(slow.closed).toEqual([[CLOSE.timedOut, JOINER_TOO_SLOW]]);
});

test('a joiner that missed a ping is cut off at the next sweep', () => {
  const joiners = new Joiners(1000);
  const answering = socket();
  const silent = socket();
  const bob = joiner(answering.ws, 'bob');
  joiners.add(bob);
  joiners.add(joiner(silent.ws, 'erin'));
  joiners.ping();
  bob.alive = true; // bob's pong
  joiners.ping();
  expect(answering.closed).toEqual([]);
  expect(silent.closed).toEqual([[1006, 'terminated']]);
});

test('the list says who, with control or not, and forgets who left', () => {
  const joiners = new Joiners(1000);
  const a = socket();
  joiners.add({ ...joiner(a.ws, 'bob'), control: true });
  expect(joiners.list()).toEqual([{ user: 'bob', control: true, joinedAt: '2026-12-03T10:00:00.000Z' }]);
  expect(joiners.remove(a.ws)?.user).toBe('bob');
  expect(joiners.remove(a.ws)).toBeUndefined();
  expect(joiners.list()).toEqual([]);
});
