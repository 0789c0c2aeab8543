import { DataFrame, FieldType } from '@grafana/data';

import { dfUsedPercent } from '../harvester/diskUsage';
import { HARVESTER_LABEL, HealthPart } from './healthQueries';

/** A harvester's figures as its newest samples say; undefined where it sent none. */
export interface Health {
  cpuPercent?: number;
  memoryPercent?: number;
  /** The fullest disk filesystem, as `df` computes it. */
  diskPercent?: number;
  diskMountpoint?: string;
  load1?: number;
  /** load1 per CPU; what "high load" is judged by. */
  loadPerCpu?: number;
  uptimeSeconds?: number;
  /** Epoch ms of the newest sample (the agent's clock). */
  lastSampleMs?: number;
}

interface Point {
  labels: Record<string, string>;
  value: number;
}

/** The newest finite value of each frame of a query, with the frame's labels. */
function lastPoints(frames: DataFrame[], refId: string): Point[] {
  const points: Point[] = [];
  for (const frame of frames) {
    if (frame.refId !== refId) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      for (let i = field.values.length - 1; i >= 0; i--) {
        const v: unknown = field.values[i];
        if (typeof v === 'number' && Number.isFinite(v)) {
          points.push({ labels: field.labels ?? {}, value: v });
          break;
        }
      }
    }
  }
  return points;
}

function byHarvester(frames: DataFrame[], refId: HealthPart): Map<string, number> {
  const out = new Map<string, number>();
  for (const point of lastPoints(frames, refId)) {
    const id = point.labels[HARVESTER_LABEL];
    if (id) {
      out.set(id, point.value);
    }
  }
  return out;
}

/**
 * Folds one health request's frames (refIds are HealthPart names) into figures per harvester id.
 * `nowMs` turns the boot time into an uptime.
 */
export function healthFromFrames(frames: DataFrame[], nowMs: number): Map<string, Health> {
  const part = (refId: HealthPart) => byHarvester(frames, refId);
  const health = new Map<string, Health>();
  const entry = (id: string) => {
    let h = health.get(id);
    if (!h) {
      h = {};
      health.set(id, h);
    }
    return h;
  };
  const cpuCount = part('cpuCount');
  for (const [id, idle] of part('cpuIdle')) {
    entry(id).cpuPercent = clampPercent(100 * (1 - idle));
  }
  const memTotal = part('memTotal');
  for (const [id, available] of part('memAvailable')) {
    const total = memTotal.get(id);
    if (total && total > 0) {
      entry(id).memoryPercent = clampPercent(100 * (1 - available / total));
    }
  }
  for (const [id, load] of part('load1')) {
    const h = entry(id);
    h.load1 = load;
    const cpus = cpuCount.get(id);
    if (cpus && cpus > 0) {
      h.loadPerCpu = load / cpus;
    }
  }
  for (const [id, boot] of part('bootTime')) {
    entry(id).uptimeSeconds = Math.max(0, nowMs / 1000 - boot);
  }
  for (const [id, seconds] of part('lastSample')) {
    entry(id).lastSampleMs = seconds * 1000;
  }
  foldDisks(frames, entry);
  return health;
}

/** Per harvester, the filesystem whose df-style use is highest. */
function foldDisks(frames: DataFrame[], entry: (id: string) => Health) {
  const key = (labels: Record<string, string>) => `${labels[HARVESTER_LABEL]}\u0000${labels.mountpoint ?? ''}`;
  const free = new Map(lastPoints(frames, 'fsFree').map((p) => [key(p.labels), p.value]));
  const avail = new Map(lastPoints(frames, 'fsAvail').map((p) => [key(p.labels), p.value]));
  for (const size of lastPoints(frames, 'fsSize')) {
    const id = size.labels[HARVESTER_LABEL];
    const k = key(size.labels);
    const f = free.get(k);
    const a = avail.get(k);
    if (!id || f === undefined || a === undefined || size.value <= 0) {
      continue;
    }
    const percent = dfUsedPercent(size.value, f, a);
    const h = entry(id);
    if (Number.isFinite(percent) && (h.diskPercent === undefined || percent > h.diskPercent)) {
      h.diskPercent = clampPercent(percent);
      h.diskMountpoint = size.labels.mountpoint;
    }
  }
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}
