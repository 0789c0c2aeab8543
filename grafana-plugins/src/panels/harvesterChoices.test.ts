import { harvester } from '../../test/support/fakeNester';
import { harvesterChoices } from './harvesterChoices';

test('variables first, then harvesters by hostname storing their id, with what tells them apart', () => {
  const options = harvesterChoices(
    ['host'],
    [harvester({ id: 'h_1', hostname: 'web-1', status: 'online', labels: { site: 'paris' } })],
    'h_1',
  );
  expect(options).toEqual([
    { label: '$host', value: '$host', description: 'Dashboard variable' },
    { label: 'web-1', value: 'h_1', description: 'h_1 · online · site=paris' },
  ]);
});

test('a typed value that is neither a variable nor a found harvester stays selectable', () => {
  expect(harvesterChoices([], [], '${host:raw}')[0]).toEqual({ label: '${host:raw}', value: '${host:raw}' });
  expect(harvesterChoices(['host'], [], '$host')).toHaveLength(1);
});
