// What a desktop recording costs: a 1280×800 Xvfb desktop served by x11vnc, an RFB client that
// asks for what noVNC asks for (Tight with JPEG quality 6 and compression 2, ZRLE, CopyRect, the
// cursor; then incremental updates, here every 20 ms), and nester's own RfbRecordingWriter keeping
// the server's stream as the relay does. Each scene records for BENCH_SECONDS (default 60) and the
// size is extrapolated to an hour. The client talks to x11vnc over TCP: through the relay the
// bytes are the same (nester records what it forwards), only the 8-byte record heads may differ
// with the chunking.
// Usage: npm run build && node nester/dist/bench/desktop-recording.js

import { type Desktop, startDesktop } from '@nester/testing/desktop';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RfbRecordingWriter } from '../src/recording/rfb-recording-writer';

const WIDTH = 1280;
const HEIGHT = 800;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);

/** noVNC's SetEncodings (core/rfb.js _sendEncodings), without continuous updates and fences. */
const ENCODINGS = [1, 7, -260, 16, 21, 5, 2, 6, 0, -32 + 6, -256 + 2, -223, -224, -307, -239];

interface Scene {
  name: string;
  /** Starts what moves on the screen; returns the processes to stop after. */
  start(desktop: Desktop): ChildProcess[];
}

const SCENES: Scene[] = [
  { name: 'idle (nothing moving)', start: () => [] },
  {
    name: 'xclock -update 1 (a clock redrawn every second)',
    start: (d) => [spawnX(d, 'xclock', ['-update', '1', '-geometry', '200x200+100+100'])],
  },
  {
    name: 'xterm 120×40 printing a directory listing every 0.2 s',
    start: (d) => [
      spawnX(d, 'xterm', [
        '-geometry',
        '120x40+0+0',
        '-e',
        'sh',
        '-c',
        'while :; do ls -la /usr/bin | head -60; date; sleep 0.2; done',
      ]),
    ],
  },
  {
    name: 'xterm 200×60 full of random text, redrawn every 0.1 s (worst case)',
    start: (d) => [
      spawnX(d, 'xterm', [
        '-geometry',
        '200x60+0+0',
        '-e',
        'sh',
        '-c',
        'while :; do clear; head -c 8800 /dev/urandom | base64 -w 198; sleep 0.1; done',
      ]),
    ],
  },
];

function spawnX(desktop: Desktop, command: string, args: string[]): ChildProcess {
  return spawn(command, args, { env: { ...process.env, DISPLAY: desktop.display }, stdio: 'ignore' });
}

async function record(desktop: Desktop, path: string): Promise<number> {
  const writer = new RfbRecordingWriter(path, { title: 'bench' }, 16 * 1024 ** 3);
  const socket: Socket = connect(desktop.vncPort, '127.0.0.1');
  let received = Buffer.alloc(0);
  let handshaking = true;
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk) => {
    writer.output(chunk);
    if (handshaking) {
      received = Buffer.concat([received, chunk]);
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  const need = async (n: number) => {
    while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  await need(12);
  socket.write('RFB 003.008\n');
  await need(13 + received[12]);
  socket.write(Buffer.from([1])); // security None
  const afterTypes = 13 + received[12];
  await need(afterTypes + 4);
  socket.write(Buffer.from([1])); // ClientInit: shared
  await need(afterTypes + 4 + 24);
  handshaking = false;
  const format = Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]);
  const encodings = Buffer.alloc(4 + 4 * ENCODINGS.length);
  encodings.writeUInt8(2, 0);
  encodings.writeUInt16BE(ENCODINGS.length, 2);
  ENCODINGS.forEach((e, i) => encodings.writeInt32BE(e, 4 + 4 * i));
  const request = (incremental: number) => {
    const message = Buffer.alloc(10);
    message[0] = 3;
    message[1] = incremental;
    message.writeUInt16BE(WIDTH, 6);
    message.writeUInt16BE(HEIGHT, 8);
    return message;
  };
  socket.write(Buffer.concat([format, encodings, request(0)]));
  const timer = setInterval(() => socket.write(request(1)), 20);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  clearInterval(timer);
  socket.destroy();
  writer.close();
  return statSync(path).size;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nester-bench-rfbrec-'));
  const rows: string[] = [];
  try {
    for (const scene of SCENES) {
      const desktop = await startDesktop(WIDTH, HEIGHT);
      const movers = scene.start(desktop);
      try {
        await desktop.x('xsetroot', ['-solid', '#336699']);
        await new Promise((resolve) => setTimeout(resolve, 2000)); // let the windows map
        process.stderr.write(`recording ${SECONDS} s: ${scene.name}…\n`);
        const bytes = await record(desktop, join(dir, `${rows.length}.rfbrec`));
        const perHour = (bytes / SECONDS) * 3600;
        rows.push(`| ${scene.name} | ${(bytes / 1024).toFixed(1)} KiB | ${(perHour / 1024 / 1024).toFixed(2)} MiB |`);
      } finally {
        for (const mover of movers) mover.kill('SIGTERM');
        await desktop.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`| scene (${WIDTH}×${HEIGHT}) | recorded in ${SECONDS} s | per hour (extrapolated) |`);
  console.log('| --- | ---: | ---: |');
  for (const row of rows) console.log(row);
}

main().catch((err: Error) => {
  console.error(err);
  process.exitCode = 1;
});
