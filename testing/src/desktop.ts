// Test support: a real X desktop (Xvfb) served by a real VNC server (x11vnc) on loopback.

import { type Service, freePort, startService } from './services';
import { execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';

export interface Desktop {
  display: string;
  vncPort: number;
  /** Runs an X client (xsetroot, xdotool…) against this display. */
  x(command: string, args: string[]): Promise<string>;
  /**
   * A fresh x11vnc on the same port. x11vnc paces clients after the first one differently (the
   * first gets ~1 ms round trips, later ones ~20 ms), so comparisons need one server per client.
   */
  restartVnc(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDesktop(width = 64, height = 48): Promise<Desktop> {
  // -displayfd: Xvfb picks a free display number itself and tells us on fd 3.
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  const vncPort = await freePort();
  let vnc: Service;
  try {
    vnc = await startVnc(display, vncPort);
  } catch (err) {
    xvfb.kill('SIGKILL');
    throw err;
  }
  const x = async (command: string, args: string[]) =>
    (await promisify(execFile)(command, args, { env: { ...process.env, DISPLAY: display } })).stdout;
  return {
    display,
    vncPort,
    x,
    async restartVnc() {
      await vnc.stop();
      vnc = await startVnc(display, vncPort);
    },
    async stop() {
      await vnc.stop();
      xvfb.kill('SIGTERM');
      await new Promise((resolve) => (xvfb.exitCode !== null ? resolve(undefined) : xvfb.once('exit', resolve)));
    },
  };
}

async function startVnc(display: string, port: number): Promise<Service> {
  const vnc = startService('x11vnc', 'x11vnc', [
    '-display',
    display,
    '-rfbport',
    String(port),
    '-localhost',
    '-nopw',
    '-forever',
    '-shared',
    '-quiet',
    '-noxdamage',
    '-nocursor',
  ]);
  try {
    await waitForPort(port, vnc);
    return vnc;
  } catch (err) {
    await vnc.stop('SIGKILL');
    throw err;
  }
}

async function waitForPort(port: number, service: Service, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) throw new Error(`x11vnc exited: ${service.output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`x11vnc did not listen on ${port}: ${service.output()}`);
}
