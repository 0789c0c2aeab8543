import { parseArgs } from '@nester/common/config/flags';
import { SERVE_FLAGS, withCollectorFlags } from '../config/flags';
import { defineCollector } from './collector';
import { tempPaths } from '../../test/support/collectors';
import { memoryLogger } from '../../test/support/memory-logger';

test('a collector gets its own flags, typed by its declaration, from the agent parse', () => {
  const seen: unknown[] = [];
  const probe = defineCollector({
    name: 'probe',
    defaultEnabled: false,
    flags: {
      'collector.probe.fields': { type: 'string', help: 'Fields to report.', default: '^a' },
      'collector.probe.timeout': { type: 'duration', help: 'How long to wait.', default: '5s' },
      'collector.probe.device-include': { type: 'string', help: 'Devices to report.' },
    },
    create: ({ flags }) => {
      const timeout: number = flags['collector.probe.timeout'];
      const include: string | undefined = flags['collector.probe.device-include'];
      // @ts-expect-error: a misspelt flag name does not compile
      seen.push(flags['collector.probe.feilds']);
      seen.push(flags, timeout, include);
      return () => [];
    },
  });
  const { values } = parseArgs(withCollectorFlags(SERVE_FLAGS, [probe]), [
    '--collector.probe',
    '--collector.probe.timeout=1m',
  ]);
  expect(values['collector.probe']).toBe(true);
  probe.create({ paths: tempPaths(), flags: values, log: memoryLogger().log });
  expect(seen).toEqual([
    undefined,
    { 'collector.probe.fields': '^a', 'collector.probe.timeout': 60_000, 'collector.probe.device-include': undefined },
    60_000,
    undefined,
  ]);
  // Values parsed without the collector's declaration are refused, not read as undefined.
  const without = parseArgs(SERVE_FLAGS, []).values;
  expect(() => probe.create({ paths: tempPaths(), flags: without, log: memoryLogger().log })).toThrow(
    /--collector.probe.fields is missing/,
  );
});
