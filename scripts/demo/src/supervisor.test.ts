// The supervisor with a fake clock and fake children: what it says and does when a part dies.

import type { RestartPolicy } from './restart-policy';
import { type Child, type Clock, Supervisor } from './supervisor';

class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private next = 0;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const id = ++this.next;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  };
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
  get pending(): number {
    return this.timers.length;
  }
}

class FakeChild implements Child {
  signals: NodeJS.Signals[] = [];
  private listener?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Whether it ends on SIGTERM, as well-behaved servers do. */
  constructor(private readonly obeysTerm = true) {}
  kill(signal: NodeJS.Signals): void {
    this.signals.push(signal);
    if (signal === 'SIGKILL' || this.obeysTerm) this.exit(null, signal);
  }
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.listener = listener;
  }
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    const listener = this.listener;
    this.listener = undefined;
    listener?.(code, signal);
  }
}

const policy: RestartPolicy = { quickRunMs: 10_000, maxQuickFailures: 3, initialBackoffMs: 500, maxBackoffMs: 4000 };

function supervised(obeysTerm = true) {
  const clock = new FakeClock();
  const children: FakeChild[] = [];
  const lines: string[] = [];
  const gaveUp: string[] = [];
  const supervisor = new Supervisor({
    name: 'nester',
    logFile: '/tmp/demo/logs/nester.log',
    clock,
    policy,
    log: (line) => lines.push(line),
    spawn: () => {
      const child = new FakeChild(obeysTerm);
      children.push(child);
      return child;
    },
    onGiveUp: (message) => gaveUp.push(message),
  });
  supervisor.start();
  return { clock, children, lines, gaveUp, supervisor };
}

test('a part that dies is restarted after the back-off, with a line saying what died, how, and that it restarts', () => {
  const { clock, children, lines, supervisor } = supervised();
  clock.advance(60_000);
  children[0].exit(1);
  expect(lines).toEqual([
    '✗ nester died (exit code 1) after 1 min 0 s; restarting in 0.5 s. See /tmp/demo/logs/nester.log',
  ]);
  expect(supervisor.alive).toBe(false);
  clock.advance(499);
  expect(children).toHaveLength(1);
  clock.advance(1);
  expect(children).toHaveLength(2);
  expect(supervisor).toMatchObject({ alive: true, started: 2 });

  children[1].exit(null, 'SIGKILL');
  expect(lines[1]).toBe(
    '✗ nester died (killed by SIGKILL) after 0.0 s; restarting in 1.0 s. See /tmp/demo/logs/nester.log',
  );
});

test('after N quick failures in a row it gives up, saying so, and starts it no more', () => {
  const { clock, children, lines, gaveUp } = supervised();
  for (let run = 0; run < 3; run++) {
    clock.advance(1000);
    children[run].exit(2);
    clock.advance(5000); // past the back-off (1 s, then 2 s), within the 10 s of a quick run
  }
  expect(children).toHaveLength(3);
  expect(gaveUp).toEqual([
    'nester died 3 times in a row within 10.0 s of starting (last: exit code 2); giving up. See /tmp/demo/logs/nester.log',
  ]);
  expect(lines.at(-1)).toBe(`✗ ${gaveUp[0]}`);
  clock.advance(60_000);
  expect(children).toHaveLength(3);
});

test('stop() ends the part without a restart, and SIGKILLs one that ignores SIGTERM', async () => {
  const polite = supervised();
  await polite.supervisor.stop();
  expect(polite.children[0].signals).toEqual(['SIGTERM']);
  expect(polite.lines).toEqual([]);
  polite.clock.advance(60_000);
  expect(polite.children).toHaveLength(1);

  const stubborn = supervised(false);
  const stopped = stubborn.supervisor.stop();
  stubborn.clock.advance(3000);
  await stopped;
  expect(stubborn.children[0].signals).toEqual(['SIGTERM', 'SIGKILL']);
});

test('stop() during a back-off cancels the pending restart', async () => {
  const { clock, children, supervisor } = supervised();
  children[0].exit(1);
  expect(clock.pending).toBe(1);
  await supervisor.stop();
  clock.advance(60_000);
  expect(children).toHaveLength(1);
});
