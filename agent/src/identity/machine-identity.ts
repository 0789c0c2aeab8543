// Who this machine is to nester and to the metric store: the harvester id of its enrolment and
// its labels. The labels are the `--remote.label` flags until an operator edits them in the fleet
// app; nester then sends the edited set over the control channel and the agent keeps it in its
// state directory, so it survives restarts. Both files are re-read on each call (two small reads
// per push interval), so an enrolment or a label edit shows on the next samples.

import { isSettableLabelName } from '@nester/contracts/metrics/identity';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gauge, type MetricFamily } from '../metrics/family';
import { readEnrolment } from '../remote/state';

export const LABELS_FILE = 'labels.json';

export interface MachineIdentity {
  /** Undefined until the agent is enrolled. */
  harvesterId?: string;
  labels: Record<string, string>;
}

export class IdentitySource {
  constructor(
    private readonly stateDir: string,
    private readonly flagLabels: Record<string, string>,
  ) {}

  current(): MachineIdentity {
    let harvesterId: string | undefined;
    try {
      harvesterId = readEnrolment(this.stateDir)?.harvesterId;
    } catch {
      // a broken state file: the control channel says so in the log
    }
    return { harvesterId, labels: this.storedLabels() ?? this.flagLabels };
  }

  /** Keeps the label set an operator gave in the fleet app (sent by nester). */
  storeLabels(labels: Record<string, string>): void {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const path = join(this.stateDir, LABELS_FILE);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(labels)}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  }

  private storedLabels(): Record<string, string> | undefined {
    const path = join(this.stateDir, LABELS_FILE);
    if (!existsSync(path)) return undefined;
    try {
      const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      return Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    } catch {
      return undefined;
    }
  }
}

/**
 * The labels this machine's pushed series carry besides job and instance: the harvester id under
 * `idLabel` (none when empty or not enrolled) and the machine's labels whose names Prometheus
 * accepts and that do not shadow a reserved one.
 */
export function machineTargetLabels(identity: MachineIdentity, idLabel: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(identity.labels))
    if (isSettableLabelName(name) && name !== idLabel && value !== '') out[name] = value;
  if (idLabel && identity.harvesterId) out[idLabel] = identity.harvesterId;
  return out;
}

/** `harvester_info{harvester_id, hostname, version} 1`: how a site's own Prometheus joins by instance. */
export function harvesterInfoFamily(identity: MachineIdentity, idLabel: string, version: string): MetricFamily {
  return gauge(
    'harvester_info',
    'The harvester id of this machine (join by instance), its hostname and agent version.',
    [{ labels: { [idLabel || 'harvester_id']: identity.harvesterId ?? '', hostname: hostname(), version }, value: 1 }],
  );
}
