// Every collector the agent knows, in node_exporter's alphabetical order.

import type { CollectorDefinition } from './collector';
import { cpu } from './cpu';
import { loadavg } from './loadavg';
import { meminfo } from './meminfo';
import { stat } from './stat';

export const COLLECTORS: CollectorDefinition[] = [cpu, loadavg, meminfo, stat].sort((a, b) =>
  a.name.localeCompare(b.name),
);
