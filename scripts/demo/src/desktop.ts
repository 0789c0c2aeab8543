// Something worth seeing on the demo's Xvfb desktop, from Debian programs when installed: a
// coloured root window, a banner naming the harvester that serves it, `top` in an xterm (so the
// screen changes as the machine works) and a clock (so a frozen picture shows as one).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface Decoration {
  program: string;
  args: string[];
}

/** The programs to start on the desktop, given which are installed; pure. */
export function decorations(banner: string, installed: (program: string) => boolean): Decoration[] {
  const wanted: Decoration[] = [
    { program: 'xmessage', args: ['-geometry', '+40+20', '-buttons', '', banner] },
    {
      program: 'xterm',
      args: ['-geometry', '110x32+40+90', '-fa', 'DejaVu Sans Mono', '-fs', '10', '-T', banner, '-e', 'top', '-d', '2'],
    },
    { program: 'xclock', args: ['-geometry', '160x160-30+20', '-update', '1'] },
  ];
  return wanted.filter((decoration) => installed(decoration.program));
}

export function installed(program: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program], { stdio: 'ignore' }).status === 0;
}

/** Paints the root window and starts the decorations; the returned children are the caller's to stop. */
export function decorate(display: string, banner: string): ChildProcess[] {
  const env = { ...process.env, DISPLAY: display };
  if (installed('xsetroot')) spawnSync('xsetroot', ['-solid', '#1f60c4'], { env, stdio: 'ignore' });
  return decorations(banner, installed).map(({ program, args }) => {
    const child = spawn(program, args, { env, stdio: 'ignore' });
    child.on('error', () => undefined); // a decoration that cannot start is no reason to stop the demo
    return child;
  });
}
