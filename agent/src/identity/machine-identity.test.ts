import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEnrolment } from '../remote/state';
import { harvesterInfoFamily, IdentitySource, LABELS_FILE, machineTargetLabels } from './machine-identity';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'harvester-identity-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const enrol = (harvesterId: string) =>
  writeEnrolment(dir, { nesterUrl: 'http://n', harvesterId, credential: 'c', enrolledAt: '2026-12-03T00:00:00Z' });

test('the harvester id appears once enrolled; labels from the flags until nester sends others', () => {
  const source = new IdentitySource(dir, { rack: 'r1' });
  expect(source.current()).toEqual({ harvesterId: undefined, labels: { rack: 'r1' } });
  enrol('h_1');
  expect(source.current()).toEqual({ harvesterId: 'h_1', labels: { rack: 'r1' } });
  source.storeLabels({ room: 'b2' });
  expect(statSync(join(dir, LABELS_FILE)).mode & 0o777).toBe(0o600);
  // A restarted agent reads what nester sent last.
  expect(new IdentitySource(dir, { rack: 'r1' }).current()).toEqual({ harvesterId: 'h_1', labels: { room: 'b2' } });
});

test('series labels: the id under the configured name, only label names Prometheus accepts and not reserved ones', () => {
  const identity = {
    harvesterId: 'h_1',
    labels: { rack: 'r1', 'site.name': 'x', job: 'j', instance: 'i', __name__: 'n', harvester_id: 'h_fake', empty: '' },
  };
  expect(machineTargetLabels(identity, 'harvester_id')).toEqual({ rack: 'r1', harvester_id: 'h_1' });
  expect(machineTargetLabels(identity, 'machine')).toEqual({ rack: 'r1', machine: 'h_1' });
  expect(machineTargetLabels(identity, '')).toEqual({ rack: 'r1' });
  expect(machineTargetLabels({ labels: {} }, 'harvester_id')).toEqual({});
});

test('harvester_info names the id, hostname and version for a join on instance', () => {
  const [sample] = harvesterInfoFamily({ harvesterId: 'h_1', labels: {} }, 'harvester_id', '1.2.3').samples;
  expect(sample).toEqual({
    labels: { harvester_id: 'h_1', hostname: expect.any(String), version: '1.2.3' },
    value: 1,
  });
});
