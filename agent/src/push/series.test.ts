import { counter, gauge } from '../metrics/family';
import { StalenessTracker, toTimeSeries } from './series';

const target = { job: 'node', instance: 'web-7:9100' };

test('series carry __name__, job and instance, sorted bytewise, as a scrape would label them', () => {
  const [series] = toTimeSeries(
    [counter('node_cpu_seconds_total', 'h', [{ labels: { mode: 'idle', cpu: '0', Zone: 'z', empty: '' }, value: 5 }])],
    target,
    1_700_000_000_000,
  );
  expect(series.labels).toEqual([
    { name: 'Zone', value: 'z' },
    { name: '__name__', value: 'node_cpu_seconds_total' },
    { name: 'cpu', value: '0' },
    { name: 'instance', value: 'web-7:9100' },
    { name: 'job', value: 'node' },
    { name: 'mode', value: 'idle' },
  ]);
  expect(series.samples).toEqual([{ value: 5, timestamp: 1_700_000_000_000 }]);
});

test("a target's own job and instance labels become exported_job and exported_instance", () => {
  const [series] = toTimeSeries([gauge('m', 'h', [{ labels: { job: 'batch', instance: 'x' }, value: 1 }])], target, 1);
  expect(series.labels.map((l) => `${l.name}=${l.value}`)).toEqual([
    '__name__=m',
    'exported_instance=x',
    'exported_job=batch',
    'instance=web-7:9100',
    'job=node',
  ]);
});

test('series that vanish get one stale marker at the next sampling', () => {
  const tracker = new StalenessTracker();
  const sampling = (devices: string[], t: number) =>
    toTimeSeries(
      [
        gauge(
          'node_network_up',
          'h',
          devices.map((device) => ({ labels: { device }, value: 1 })),
        ),
      ],
      target,
      t,
    );
  expect(tracker.markStale(sampling(['eth0', 'eth1'], 1000), 1000)).toEqual([]);
  const stale = tracker.markStale(sampling(['eth0'], 2000), 2000);
  expect(stale).toHaveLength(1);
  expect(stale[0].labels.find((l) => l.name === 'device')?.value).toBe('eth1');
  expect(stale[0].samples[0]).toMatchObject({ timestamp: 2000, stale: true });
  expect(tracker.markStale(sampling(['eth0'], 3000), 3000)).toEqual([]);
});

test("the machine's harvester id and labels are on every series; a sample's clashing label is renamed", () => {
  const machine = { ...target, labels: { harvester_id: 'h_1', rack: 'r7' } };
  const [info, other] = toTimeSeries(
    [
      gauge('harvester_info', 'h', [{ labels: { harvester_id: 'h_1', version: '1' }, value: 1 }]),
      gauge('m', 'h', [{ labels: { rack: 'sample', harvester_id: 'h_other' }, value: 1 }]),
    ],
    machine,
    1,
  );
  expect(info.labels.map((l) => `${l.name}=${l.value}`)).toEqual([
    '__name__=harvester_info',
    'harvester_id=h_1',
    'instance=web-7:9100',
    'job=node',
    'rack=r7',
    'version=1',
  ]);
  expect(other.labels.map((l) => `${l.name}=${l.value}`)).toEqual([
    '__name__=m',
    'exported_harvester_id=h_other',
    'exported_rack=sample',
    'harvester_id=h_1',
    'instance=web-7:9100',
    'job=node',
    'rack=r7',
  ]);
});
