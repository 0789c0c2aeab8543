// The agent's metrics about itself, kept in a prom-client registry: process_* (the names
// node_exporter's Go client uses, which dashboards read) and nodejs_* (the Node.js runtime,
// in place of go_*). Other parts of the agent register their own metrics here too.

import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { family, type Labels, type MetricFamily } from '../metrics/family';

export function createRuntimeRegistry(version: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  // Gauges whose names end in _total read as counters to PromQL and promtool; the same
  // numbers remain, grouped by type, in nodejs_active_{handles,requests,resources}.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  new Gauge({
    name: 'harvester_build_info',
    help: 'A metric with a constant 1 value labeled by the harvester version and the Node.js version it runs on.',
    labelNames: ['version', 'nodeversion'],
    registers: [registry],
  }).set({ version, nodeversion: process.versions.node }, 1);
  new Gauge({
    name: 'process_virtual_memory_max_bytes',
    help: 'Maximum amount of virtual memory available in bytes.',
    registers: [registry],
    collect() {
      this.set(maxAddressSpace());
    },
  });
  return registry;
}

/** "Max address space" from /proc/self/limits; unlimited reads as 2^64-1, as in Go's procfs. */
function maxAddressSpace(): number {
  const line = readFileSync('/proc/self/limits', 'latin1')
    .split('\n')
    .find((row) => row.startsWith('Max address space'));
  const soft = line?.slice('Max address space'.length).trim().split(/\s+/)[0];
  return soft === undefined || soft === 'unlimited' ? 2 ** 64 : Number(soft); // float64(2^64-1) is 2^64
}

/** The registry's metrics as families, for pushing them with everything else. */
export async function runtimeFamilies(registry: Registry): Promise<MetricFamily[]> {
  const families: MetricFamily[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    // prom-client's typings say enum, its objects say 'counter' | 'gauge' | 'histogram' | 'summary'.
    const kind = String(metric.type);
    const type = kind === 'counter' || kind === 'gauge' ? kind : 'untyped';
    const byName = new Map<string, MetricFamily>();
    for (const { value, labels, metricName } of metric.values as {
      value: number;
      labels: Labels;
      metricName?: string;
    }[]) {
      const name = metricName ?? metric.name;
      let fam = byName.get(name);
      if (!fam) byName.set(name, (fam = family(name, type, metric.help)));
      fam.samples.push({ labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])), value });
    }
    families.push(...byName.values());
  }
  return families;
}
