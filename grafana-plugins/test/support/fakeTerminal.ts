import type { ITerminalOptions } from '@xterm/xterm';

import type { TerminalCreateOptions, TerminalLike } from '../../src/terminal/xterm';

type Listener<T> = (value: T) => void;

/** xterm.js as a test double: what was written, and hooks to type or resize. */
export class FakeTerminal implements TerminalLike {
  static instances: FakeTerminal[] = [];
  cols: number;
  rows: number;
  options: ITerminalOptions;
  written: Array<string | Uint8Array> = [];
  resets = 0;
  disposed = false;
  private dataListeners: Array<Listener<string>> = [];
  private resizeListeners: Array<Listener<{ cols: number; rows: number }>> = [];

  constructor(options: TerminalCreateOptions) {
    this.options = { ...options };
    this.cols = options.cols ?? 80;
    this.rows = options.rows ?? 24;
    FakeTerminal.instances.push(this);
  }

  open() {}
  write(data: string | Uint8Array) {
    this.written.push(data);
  }
  reset() {
    this.resets += 1;
    this.written = [];
  }
  resize(cols: number, rows: number) {
    this.cols = cols;
    this.rows = rows;
    this.resizeListeners.forEach((listener) => listener({ cols, rows }));
  }
  focus() {}
  dispose() {
    this.disposed = true;
  }
  fit() {}
  getSelection() {
    return '';
  }
  paste(text: string) {
    this.type(text);
  }
  onData(listener: Listener<string>) {
    this.dataListeners.push(listener);
    return { dispose: () => (this.dataListeners = this.dataListeners.filter((l) => l !== listener)) };
  }
  onBinary() {
    return { dispose: () => undefined };
  }
  onResize(listener: Listener<{ cols: number; rows: number }>) {
    this.resizeListeners.push(listener);
    return { dispose: () => (this.resizeListeners = this.resizeListeners.filter((l) => l !== listener)) };
  }
  /** The user types. */
  type(text: string) {
    this.dataListeners.forEach((listener) => listener(text));
  }
  text(): string {
    const decoder = new TextDecoder();
    return this.written.map((chunk) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk))).join('');
  }
}

export const createFakeTerminal = (options: TerminalCreateOptions) => new FakeTerminal(options);
