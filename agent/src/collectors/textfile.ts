// Metrics that other programs write as *.prom files into --collector.textfile.directory
// (cron jobs, package managers): exported as they are, with the files' mtimes, and
// node_textfile_scrape_error telling whether any file could not be used.
//
// Whoever can write that directory must not be able to stop, stall or blind the agent: files
// are read without blocking and within a byte budget (read-regular-file.ts), parse errors say
// where but never quote the file, problems are logged once per file and kind, not per series,
// and a family named like one the agent exports itself is refused, so the built-in one stays intact.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { family, gauge, type MetricFamily, type Sample, single } from '../metrics/family';
import { FileTooLargeError, readRegularFile } from '../files/read-regular-file';
import { defineCollector } from './collector';
import { ProblemLog } from './problem-log';
import {
  decodeTextfile,
  parseTextFormat,
  TextFormatError,
  type TextFamily,
  TooManySamplesError,
} from './textfile-format';

/**
 * What all textfiles of one scrape may hold together, read in name order: a file past either
 * bound is refused. The samples bound keeps a scrape within the agent's heap (128 MiB, see
 * bin/harvester.js): 50,000 textfile samples take ~27 MiB of heap and ~0.4 s to parse, merge
 * and write out on the development VM.
 */
export const TEXTFILE_BUDGET = { bytes: 8 << 20, samples: 50_000 };

interface Budget {
  bytes: number;
  samples: number;
}

const MTIME = 'node_textfile_mtime_seconds';
const SCRAPE_ERROR = 'node_textfile_scrape_error';

export interface Parsed {
  path: string;
  /** Bytes read and samples parsed, counted against the scrape's budget. */
  bytes: number;
  samples: number;
  mtimeSeconds: number;
  families: TextFamily[];
}

function readFile(path: string, left: Budget): Parsed {
  const { data, stats } = openAndRead(path, left);
  let families: TextFamily[];
  try {
    families = parseTextFormat(decodeTextfile(data), left.samples);
  } catch (err) {
    if (err instanceof TooManySamplesError) {
      throw new Error(
        `textfile "${path}" holds more than the ${left.samples} samples left of the ${TEXTFILE_BUDGET.samples} all textfiles may hold together`,
        { cause: err },
      );
    }
    if (!(err instanceof TextFormatError)) throw err;
    throw new Error(`failed to parse textfile data from "${path}": ${err.message}`, { cause: err });
  }
  if (families.some((fam) => fam.hasTimestamp)) {
    throw new Error(`textfile "${path}" contains unsupported client-side timestamps, skipping entire file`);
  }
  const samples = families.reduce((sum, fam) => sum + fam.samples.length, 0);
  return { path, bytes: data.length, samples, mtimeSeconds: Math.floor(stats.mtimeMs / 1000), families };
}

function openAndRead(path: string, left: Budget) {
  try {
    return readRegularFile(path, { maxBytes: left.bytes });
  } catch (err) {
    const why =
      err instanceof FileTooLargeError
        ? `it is larger than the ${left.bytes} bytes left of the ${TEXTFILE_BUDGET.bytes} all textfiles may hold together`
        : (err as Error).message;
    throw new Error(`failed to open textfile data file "${path}": ${why}`, { cause: err });
  }
}

/** Something left out while merging; `key` is what the log remembers (one per file and kind). */
export interface MergeProblem {
  key: string;
  /** The file is unusable in part: node_textfile_scrape_error says so. */
  error: boolean;
  fields: Record<string, unknown>;
  message: string;
}

/**
 * Families of all files merged by name the way node_exporter's registry ends up merging
 * them: series missing a label of their file's family get it empty; the first file's
 * type wins (a family of another type is dropped, as Gather rejects it); the first HELP
 * wins, and a family without one is described by the files it came from; a series
 * repeated with the same labels keeps its first value. A family named in `reserved` (the
 * agent's own) is dropped whole: node_exporter's Gather refuses the colliding metrics too.
 */
export function mergeTextFamilies(
  files: Parsed[],
  reserved: ReadonlySet<string> = new Set(),
): { families: MetricFamily[]; problems: MergeProblem[] } {
  interface Entry {
    help?: string;
    type: TextFamily['type'];
    files: string[];
    samples: Sample[];
    seen: Set<string>;
  }
  const merged = new Map<string, Entry>();
  const problems = new ProblemCounter();
  for (const file of files) {
    for (const fam of file.families) {
      if (reserved.has(fam.name)) {
        problems.add(file.path, 'collision', fam.name, true);
        continue;
      }
      let entry = merged.get(fam.name);
      if (!entry) merged.set(fam.name, (entry = { type: fam.type, files: [], samples: [], seen: new Set() }));
      entry.files.push(file.path);
      if (fam.type !== entry.type) {
        problems.add(file.path, 'type', `${fam.name} (${fam.type}, should be ${entry.type})`);
        continue;
      }
      entry.help ??= fam.help;
      const labelNames = new Set(fam.samples.flatMap((sample) => Object.keys(sample.labels)));
      for (const sample of fam.samples) {
        const labels = { ...sample.labels };
        for (const label of labelNames) if (!Object.hasOwn(labels, label)) labels[label] = '';
        const key = JSON.stringify(Object.entries(labels).sort());
        if (entry.seen.has(key)) {
          problems.add(file.path, 'duplicate', `${fam.name}${key}`);
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
      problems.add(entry.files[0], 'unsupported', `${name} (${entry.type})`);
      continue;
    }
    out.push(family(name, entry.type, entry.help ?? `Metric read from ${entry.files.join(', ')}`, entry.samples));
  }
  return { families: out, problems: problems.list() };
}

const PROBLEMS = {
  collision: 'families named like metrics the agent exports itself are refused; rename them in the file',
  type: 'families with another type than in an earlier file are dropped',
  duplicate: 'series collected before with the same labels are dropped',
  unsupported: 'histograms and summaries are not exported: only counters, gauges and untyped metrics are',
};

/** Counts left-out items per file and kind, keeping the first as an example. */
class ProblemCounter {
  private readonly byKey = new Map<string, MergeProblem & { count: number }>();

  add(file: string, kind: keyof typeof PROBLEMS, example: string, error = false): void {
    const key = `${kind}\0${file}`;
    const found = this.byKey.get(key);
    if (found) found.count++;
    else this.byKey.set(key, { key, error, count: 1, fields: { file, first: example }, message: PROBLEMS[kind] });
  }

  list(): MergeProblem[] {
    return [...this.byKey.values()].map(({ count, fields, ...rest }) => ({ ...rest, fields: { ...fields, count } }));
  }
}

export const textfile = defineCollector({
  name: 'textfile',
  defaultEnabled: true,
  foreign: true,
  flags: {
    'collector.textfile.directory': {
      type: 'string',
      help: 'Directory to read text files with metrics from.',
      default: '',
    },
  },
  create: ({ flags, log }) => {
    const directory = flags['collector.textfile.directory'];
    const problemLog = new ProblemLog(log);
    return (context) => {
      let errored = false;
      const fileError = (file: string, message: string) => {
        errored = true;
        problemLog.report(`${file}\0${message}`, 'error', { file, err: message }, 'failed to collect textfile data');
      };
      const parsed: Parsed[] = [];
      if (directory !== '') {
        let names: string[] = [];
        try {
          names = readdirSync(directory).sort();
        } catch (err) {
          fileError(directory, `failed to read textfile collector directory "${directory}": ${(err as Error).message}`);
        }
        const left = { ...TEXTFILE_BUDGET };
        for (const name of names) {
          if (!name.endsWith('.prom')) continue;
          try {
            const file = readFile(join(directory, name), left);
            left.bytes -= file.bytes;
            left.samples -= file.samples;
            parsed.push(file);
          } catch (err) {
            fileError(name, (err as Error).message);
          }
        }
      }
      const reserved = new Set([...(context?.reservedNames ?? []), MTIME, SCRAPE_ERROR]);
      const { families, problems } = mergeTextFamilies(parsed, reserved);
      for (const { key, error, fields, message } of problems) {
        if (error) errored = true;
        problemLog.report(key, error ? 'error' : 'warn', fields, message);
      }
      problemLog.endScrape();
      families.push(
        gauge(
          MTIME,
          'Unixtime mtime of textfiles successfully read.',
          parsed.map(({ path, mtimeSeconds }) => ({ labels: { file: path }, value: mtimeSeconds })),
        ),
        gauge(SCRAPE_ERROR, '1 if there was an error opening or reading a file, 0 otherwise', single(errored ? 1 : 0)),
      );
      return families;
    };
  },
});
