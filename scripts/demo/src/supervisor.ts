// Keeps one part of the demo running: starts it, and when it dies says so (what died, its exit
// code or signal, that it restarts and when) and restarts it as restart-policy.ts decides, or
// gives up with a message saying why. Time and children come from outside, so the tests drive it
// with a fake clock and fake children.

import { afterExit, DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy';
import { formatDuration } from './progress';

/** A running program: node's ChildProcess behind a small adapter (main.ts), or a fake in tests. */
export interface Child {
  kill(signal: NodeJS.Signals): void;
  /** Called once, when the program ended (or could not start: code null, signal null). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SupervisorOptions {
  name: string;
  spawn: () => Child;
  log: (line: string) => void;
  /** Where the part writes its output, named in the messages. */
  logFile: string;
  clock?: Clock;
  policy?: RestartPolicy;
  /** After each start; `run` counts from 1. */
  onStart?: (run: number) => void;
  onGiveUp?: (message: string) => void;
  /** How long a part gets to stop on SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  if (code === null) return 'could not start';
  return `exit code ${code}`;
}

export class Supervisor {
  private child?: Child;
  private running = false;
  private startedAt = 0;
  private quickFailures = 0;
  private restartTimer?: unknown;
  private stopping = false;
  private runs = 0;
  private exited?: () => void;
  private readonly clock: Clock;
  private readonly policy: RestartPolicy;

  constructor(private readonly options: SupervisorOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
  }

  /** Whether the part is running now. */
  get alive(): boolean {
    return this.running;
  }

  /** How many times the part was started. */
  get started(): number {
    return this.runs;
  }

  start(): void {
    this.restartTimer = undefined;
    if (this.stopping) return;
    this.runs++;
    this.startedAt = this.clock.now();
    const child = this.options.spawn();
    this.child = child;
    this.running = true;
    child.onExit((code, signal) => this.handleExit(code, signal));
    this.options.onStart?.(this.runs);
  }

  /** Stops the part for good: no restart, SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== undefined) this.clock.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = this.clock.setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs ?? 3000);
      this.exited = () => {
        this.clock.clearTimeout(kill);
        resolve();
      };
      child.kill('SIGTERM');
    });
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.running = false;
    if (this.stopping) {
      this.exited?.();
      return;
    }
    const ranMs = this.clock.now() - this.startedAt;
    const decision = afterExit(this.policy, this.quickFailures, ranMs);
    this.quickFailures = decision.quickFailures;
    const { name, logFile } = this.options;
    const how = describeExit(code, signal);
    if (decision.action === 'give up') {
      const message =
        `${name} died ${decision.quickFailures} times in a row within ${formatDuration(this.policy.quickRunMs)} of starting ` +
        `(last: ${how}); giving up. See ${logFile}`;
      this.options.log(`✗ ${message}`);
      this.options.onGiveUp?.(message);
      return;
    }
    this.options.log(
      `✗ ${name} died (${how}) after ${formatDuration(ranMs)}; restarting in ${formatDuration(decision.delayMs)}. See ${logFile}`,
    );
    this.restartTimer = this.clock.setTimeout(() => this.start(), decision.delayMs);
  }
}
