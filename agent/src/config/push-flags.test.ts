import { UsageError } from '@nester/common/config/flags';
import { harvesterIdLabel } from './push-flags';

test('--push.harvester-id-label takes a Prometheus label name other than those a scrape sets', () => {
  expect(harvesterIdLabel('harvester_id')).toBe('harvester_id');
  expect(harvesterIdLabel('machine')).toBe('machine');
  expect(harvesterIdLabel('')).toBe('');
  for (const bad of ['job', 'instance', '__name__', 'machine-id', '1x', 'a b']) {
    expect(() => harvesterIdLabel(bad)).toThrow(UsageError);
  }
  expect(() => harvesterIdLabel('machine-id')).toThrow(/must be a Prometheus label name/);
});
