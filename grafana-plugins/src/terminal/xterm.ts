import { FitAddon } from '@xterm/addon-fit';
import { ITerminalOptions, Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/** The part of xterm.js the terminal view uses; tests give a stand-in with the same shape. */
export interface TerminalLike {
  readonly cols: number;
  readonly rows: number;
  options: ITerminalOptions;
  open(parent: HTMLElement): void;
  write(data: string | Uint8Array): void;
  reset(): void;
  resize(cols: number, rows: number): void;
  focus(): void;
  dispose(): void;
  onData(listener: (data: string) => void): { dispose(): void };
  onBinary(listener: (data: string) => void): { dispose(): void };
  onResize(listener: (size: { cols: number; rows: number }) => void): { dispose(): void };
  getSelection(): string;
  /** Types text as if pasted (bracketed paste when the shell asked for it). */
  paste(text: string): void;
  /** Fits the terminal to its element. */
  fit(): void;
}

/** Options at creation; cols/rows are constructor-only in xterm.js (ITerminalInitOnlyOptions). */
export type TerminalCreateOptions = ITerminalOptions & { cols?: number; rows?: number };

export type TerminalFactory = (options: TerminalCreateOptions) => TerminalLike;

export const createXterm: TerminalFactory = (options) => {
  const terminal = new Terminal({ cursorBlink: true, scrollback: 5000, allowProposedApi: false, ...options });
  const fitAddon = new FitAddon();
  terminal.loadAddon(fitAddon);
  return Object.assign(terminal, {
    fit: () => {
      // Fitting a hidden element would give 0 columns; keep the last size instead.
      const dims = fitAddon.proposeDimensions();
      if (dims && dims.cols > 1 && dims.rows > 0) {
        fitAddon.fit();
      }
    },
  });
};
