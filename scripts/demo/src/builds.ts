// What the demo runs that `tsc -b` does not build (demo.js runs `tsc -b` first, which skips
// projects whose outputs are current by itself): the agent's native addon, the plugins' bundles
// and the sandbox. Each is rebuilt only when an output is missing or older than a source
// (up-to-date.ts). Type checks are `npm run build`'s and lint's job; the demo builds what it runs.

import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stampOutputs, stampSources } from './source-files';
import { buildVerdict, type Stamped, type Verdict } from './up-to-date';

export interface BuildStep {
  name: string;
  /** The repository's root, where the command runs. */
  repo: string;
  sources: string[];
  outputs: string[];
  command: string;
  args: string[];
}

export function buildSteps(repo: string): BuildStep[] {
  const at = (...parts: string[]) => join(repo, ...parts);
  const lock = at('package-lock.json');
  const contracts = at('common', 'contracts', 'src');
  return [
    {
      name: 'the agent’s native addon',
      repo,
      sources: [at('agent', 'native', 'timex', 'binding.gyp'), at('agent', 'native', 'timex', 'timex.c')],
      outputs: [at('agent', 'native', 'timex', 'build', 'Release', 'timex.node')],
      // node-gyp comes with npm: the workspace's build script finds it.
      command: 'npm',
      args: ['run', 'build', '--workspace', 'agent'],
    },
    {
      name: 'the Grafana plugins',
      repo,
      sources: [
        at('grafana-plugins', 'src'),
        at('grafana-plugins', 'build'),
        at('grafana-plugins', 'package.json'),
        at('datasource-timescale', 'plugin', 'src'),
        contracts,
        lock,
      ],
      outputs: [at('grafana-plugins', 'dist', 'module.js'), at('datasource-timescale', 'plugin', 'dist', 'module.js')],
      command: process.execPath,
      args: [at('grafana-plugins', 'build', 'build.js')],
    },
    {
      name: 'the sandbox',
      repo,
      sources: [
        at('grafana-plugins', 'sandbox', 'server'),
        at('grafana-plugins', 'sandbox', 'shell'),
        at('grafana-plugins', 'sandbox', 'core'),
        at('grafana-plugins', 'sandbox', 'build.js'),
        at('grafana-plugins', 'sandbox', 'build-core.js'),
        at('grafana-plugins', 'sandbox', 'package.json'),
        contracts,
        lock,
      ],
      outputs: [
        at('grafana-plugins', 'sandbox', 'dist', 'server.js'),
        at('grafana-plugins', 'sandbox', 'dist', 'public', 'shell.js'),
      ],
      command: process.execPath,
      args: [at('grafana-plugins', 'sandbox', 'build.js')],
    },
  ];
}

/** The verdict on the step's files, naming them relative to the repository. */
export function checkStep(step: BuildStep): Verdict {
  const named = (stamps: Stamped[]) => stamps.map((stamp) => ({ ...stamp, path: relative(step.repo, stamp.path) }));
  return buildVerdict(named(stampSources(step.sources)), named(stampOutputs(step.outputs)));
}

/** Runs the step's build, its output into `logFile`; rejects naming the log when it fails. */
export function runStep(step: BuildStep, logFile: string): Promise<void> {
  const log = openSync(logFile, 'w');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(step.command, step.args, { cwd: step.repo, stdio: ['ignore', log, log] });
    child.once('error', (err) => reject(new Error(`cannot build ${step.name}: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`building ${step.name} failed (${signal ?? `exit code ${code}`}); see ${logFile}`));
    });
  }).finally(() => closeSync(log));
}
