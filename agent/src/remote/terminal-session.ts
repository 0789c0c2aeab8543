// A terminal session on the agent: a pty (node-pty) running the configured shell as the
// configured user, its bytes piped to nester's session socket. Text frames carry resize
// requests; view-only sessions get output but their input is ignored here too (nester already
// drops it). When the agent is root and the user is someone else, the shell is started through
// setpriv so it gets that user's ids and supplementary groups, not root's.

import { messageBytes, messageText } from '@nester/common/net/ws-message';
import type { Logger } from '@nester/common/log/logger';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import {
  clampTerminalSize,
  type ExitControl,
  type OpenSessionMessage,
  parseMessage,
  type StartedControl,
} from '@nester/contracts/remote/protocol';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { IPty } from 'node-pty';
import WebSocket from 'ws';
import { type Account, lookupAccount } from './passwd';
import { throttledSend } from './session-socket';

export interface TerminalConfig {
  /** Shell to run; empty means the user's login shell. */
  shell: string;
  /** Account to run it as; empty means the agent's own. */
  user: string;
}

export interface ShellCommand {
  /** The account the shell runs as, told to the browser. */
  user: string;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Works out what to spawn, or says why the terminal cannot be opened. */
export function shellCommand(config: TerminalConfig, env: NodeJS.ProcessEnv = process.env): ShellCommand {
  const self = userInfo();
  const name = config.user || self.username;
  const account: Account | undefined =
    name === self.username
      ? { name, uid: self.uid, gid: self.gid, home: self.homedir, shell: self.shell ?? '' }
      : lookupAccount(name);
  if (!account) throw new Error(`terminal user "${name}" does not exist on this machine`);
  const shell = config.shell || account.shell || '/bin/sh';
  const shellEnv: Record<string, string> = {
    HOME: account.home,
    USER: account.name,
    LOGNAME: account.name,
    SHELL: shell,
    PATH: env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: env.LANG || 'C.UTF-8',
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
  };
  // Service accounts often have a home that does not exist (nobody: /nonexistent).
  const cwd = account.home && existsSync(account.home) ? account.home : '/';
  if (account.uid === self.uid) return { user: account.name, file: shell, args: ['-l'], cwd, env: shellEnv };
  if (self.uid !== 0)
    throw new Error(
      `the agent runs as ${self.username}, so it cannot open a terminal as ${name}; run it as root or drop --remote.terminal-user`,
    );
  const setpriv = ['--reuid', String(account.uid), '--regid', String(account.gid), '--init-groups', '--', shell, '-l'];
  return { user: account.name, file: '/usr/bin/setpriv', args: setpriv, cwd, env: shellEnv };
}

export function loadPty(): typeof import('node-pty') {
  try {
    // Loaded on first use: a machine without the native addon still serves metrics and VNC.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node-pty') as typeof import('node-pty');
  } catch (err) {
    throw new Error(`terminal support is not installed (node-pty failed to load: ${(err as Error).message})`, {
      cause: err,
    });
  }
}

export function runTerminal(ws: WebSocket, open: OpenSessionMessage, command: ShellCommand, log: Logger): void {
  const size = clampTerminalSize(open.cols, open.rows);
  let pty: IPty;
  try {
    pty = loadPty().spawn(command.file, command.args, {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: command.cwd,
      env: command.env,
    });
  } catch (err) {
    ws.close(CLOSE.agentFailed, `cannot start the shell: ${(err as Error).message}`.slice(0, 120));
    return;
  }
  log.info({ session: open.sessionId, pid: pty.pid, shell: command.file }, 'terminal started');
  ws.send(JSON.stringify({ type: 'started', user: command.user } satisfies StartedControl));
  const toNester = { paused: false };
  let exited = false;
  pty.onData((text) => throttledSend(ws, Buffer.from(text, 'utf8'), pty, toNester));
  pty.onExit(({ exitCode, signal }) => {
    exited = true;
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: 'exit', code: exitCode } satisfies ExitControl));
    ws.close(
      CLOSE.normal,
      signal ? `the shell was killed by signal ${signal}` : `the shell exited with code ${exitCode}`,
    );
  });
  ws.on('message', (data, binary) => {
    if (binary) {
      if (!open.viewOnly) pty.write(messageBytes(data));
      return;
    }
    const message = parseMessage(messageText(data));
    if (message?.type === 'resize') {
      const next = clampTerminalSize(message.cols, message.rows, size);
      pty.resize(next.cols, next.rows);
    }
  });
  ws.on('close', () => {
    if (!exited) pty.kill('SIGHUP');
  });
  ws.on('error', (err) => log.warn({ session: open.sessionId, err: err.message }, 'terminal session socket failed'));
}
