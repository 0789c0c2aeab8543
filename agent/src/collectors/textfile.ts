// Metrics that other programs write as *.prom files into --collector.textfile.directory
// (cron jobs, package managers): exported as they are, with the files' mtimes, and
// node_textfile_scrape_error telling whether any file could not be used.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { family, gauge, type MetricFamily, type Sample, single } from '../metrics/family';
import type { CollectorDefinition } from './collector';
import { parseTextFormat, type TextFamily } from './textfile-format';

interface Parsed {
  path: string;
  mtimeSeconds: number;
  families: TextFamily[];
}

function readFile(path: string): Parsed {
  // A FIFO would block this synchronous read, and with it the whole agent: regular files only.
  if (!statSync(path).isFile()) throw new Error(`"${path}" is not a regular file`);
  const text = readFileSync(path, 'utf8');
  let families: TextFamily[];
  try {
    families = parseTextFormat(text);
  } catch (err) {
    throw new Error(`failed to parse textfile data from "${path}": ${(err as Error).message}`, { cause: err });
  }
  if (families.some((fam) => fam.hasTimestamp)) {
    throw new Error(`textfile "${path}" contains unsupported client-side timestamps, skipping entire file`);
  }
  // Stat only once parsed, so that a broken file does not look fresh.
  return { path, mtimeSeconds: Math.floor(statSync(path).mtimeMs / 1000), families };
}

/**
 * Families of all files merged by name the way node_exporter's registry ends up merging
 * them: series missing a label of their file's family get it empty; the first file's
 * type wins (a family of another type is dropped, as Gather rejects it); the first HELP
 * wins, and a family without one is described by the files it came from; a series
 * repeated with the same labels keeps its first value.
 */
export function mergeTextFamilies(files: Parsed[], warn: (message: string) => void): MetricFamily[] {
  interface Entry {
    help?: string;
    type: TextFamily['type'];
    files: string[];
    samples: Sample[];
    seen: Set<string>;
  }
  const merged = new Map<string, Entry>();
  for (const file of files) {
    for (const fam of file.families) {
      let entry = merged.get(fam.name);
      if (!entry) merged.set(fam.name, (entry = { type: fam.type, files: [], samples: [], seen: new Set() }));
      entry.files.push(file.path);
      if (fam.type !== entry.type) {
        warn(`${fam.name} in ${file.path} has type ${fam.type} but should have ${entry.type}; its samples are dropped`);
        continue;
      }
      entry.help ??= fam.help;
      const labelNames = new Set(fam.samples.flatMap((sample) => Object.keys(sample.labels)));
      for (const sample of fam.samples) {
        const labels = { ...sample.labels };
        for (const label of labelNames) labels[label] ??= '';
        const key = JSON.stringify(Object.entries(labels).sort());
        if (entry.seen.has(key)) {
          warn(`${fam.name}${key} from ${file.path} was collected before with the same labels; dropped`);
          continue;
        }
        entry.seen.add(key);
        entry.samples.push({ labels, value: sample.value });
      }
    }
  }
  const out: MetricFamily[] = [];
  for (const [name, entry] of merged) {
    if (entry.type === 'summary' || entry.type === 'histogram') {
      warn(
        `${entry.type} ${name} from ${entry.files.join(', ')} is not exported: only counters, gauges and untyped metrics are`,
      );
      continue;
    }
    out.push(family(name, entry.type, entry.help ?? `Metric read from ${entry.files.join(', ')}`, entry.samples));
  }
  return out;
}

export const textfile: CollectorDefinition = {
  name: 'textfile',
  defaultEnabled: true,
  flags: [
    {
      name: 'collector.textfile.directory',
      type: 'string',
      help: 'Directory to read text files with metrics from.',
      default: '',
    },
  ],
  create: ({ flags, log }) => {
    const directory = String(flags['collector.textfile.directory'] ?? '');
    const warned = new Set<string>();
    const warnOnce = (message: string) => {
      if (warned.has(message)) return;
      warned.add(message);
      log.warn(message);
    };
    return () => {
      let errored = false;
      const parsed: Parsed[] = [];
      if (directory !== '') {
        let names: string[] = [];
        try {
          names = readdirSync(directory).sort();
        } catch (err) {
          errored = true;
          warnOnce(`failed to read textfile collector directory "${directory}": ${(err as Error).message}`);
        }
        for (const name of names) {
          if (!name.endsWith('.prom')) continue;
          try {
            parsed.push(readFile(join(directory, name)));
          } catch (err) {
            errored = true;
            warnOnce(`failed to collect textfile data from ${name}: ${(err as Error).message}`);
          }
        }
      }
      const families = mergeTextFamilies(parsed, warnOnce);
      families.push(
        gauge(
          'node_textfile_mtime_seconds',
          'Unixtime mtime of textfiles successfully read.',
          parsed.map(({ path, mtimeSeconds }) => ({ labels: { file: path }, value: mtimeSeconds })),
        ),
        gauge(
          'node_textfile_scrape_error',
          '1 if there was an error opening or reading a file, 0 otherwise',
          single(errored ? 1 : 0),
        ),
      );
      return families;
    };
  },
};
