import { readFileSync } from 'node:fs';
import { processFamilies } from './process-metrics';

test("the agent's own process metrics carry node_exporter's names and plausible values", () => {
  const families = new Map(processFamilies('1.2.3').map((family) => [family.name, family]));
  const value = (name: string) => families.get(name)!.samples[0].value;
  const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
  expect(Math.abs(value('process_resident_memory_bytes') - rssKb * 1024)).toBeLessThan(16 << 20);
  expect(value('process_open_fds')).toBeGreaterThan(2);
  expect(value('process_max_fds')).toBeGreaterThanOrEqual(value('process_open_fds'));
  expect(Math.abs(value('process_start_time_seconds') - (Date.now() / 1000 - process.uptime()))).toBeLessThan(2);
  expect(value('process_cpu_seconds_total')).toBeGreaterThan(0);
  expect(families.get('process_cpu_seconds_total')!.type).toBe('counter');
  expect(families.get('harvester_build_info')!.samples[0].labels).toEqual({
    version: '1.2.3',
    nodeversion: process.versions.node,
  });
});
