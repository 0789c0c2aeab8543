import { RefusalAggregator, type Recorded } from './refusal-aggregator';

function aggregator(maxKeys = 100) {
  const recorded: [string, Recorded][] = [];
  const agg = new RefusalAggregator<string>({
    windowMs: 60_000,
    maxKeys,
    record: (refusal, how) => void recorded.push([refusal, how]),
  });
  return { agg, recorded, settle: () => new Promise((resolve) => setImmediate(resolve)) };
}

test('the first refusal of a key is recorded at once, its repeats as one entry when the window ends', async () => {
  const { agg, recorded, settle } = aggregator();
  for (let i = 0; i < 1000; i++) agg.note('10.0.0.1|origin', `refusal ${i}`, 1000 + i);
  agg.note('10.0.0.1|no-origin', 'other kind', 2000);
  await settle();
  expect(recorded).toEqual([
    ['refusal 0', { count: 1, repeated: false, overflow: false }],
    ['other kind', { count: 1, repeated: false, overflow: false }],
  ]);
  agg.flush(61_000);
  await settle();
  expect(recorded.slice(2)).toEqual([['refusal 999', { count: 999, repeated: true, overflow: false }]]);
  // A new window starts with an immediate entry again.
  agg.note('10.0.0.1|origin', 'later', 62_000);
  await settle();
  expect(recorded.at(-1)).toEqual(['later', { count: 1, repeated: false, overflow: false }]);
  // Shutdown records what is still counted; keys without repeats add nothing.
  agg.note('10.0.0.1|origin', 'again', 62_001);
  const before = recorded.length;
  await agg.close();
  expect(recorded.slice(before)).toEqual([['again', { count: 1, repeated: true, overflow: false }]]);
});

test('memory stays bounded: keys past the table fold into one overflow count', async () => {
  const { agg, recorded, settle } = aggregator(10);
  for (let i = 0; i < 5000; i++) agg.note(`10.0.${i >> 8}.${i & 255}|origin`, `from ${i}`, 1000);
  expect(agg.size).toBe(10);
  await agg.close();
  await settle();
  expect(recorded.filter(([, how]) => !how.repeated)).toHaveLength(10);
  expect(recorded.filter(([, how]) => how.overflow)).toEqual([
    ['from 4999', { count: 4990, repeated: true, overflow: true }],
  ]);
});

test('ended windows make room for new keys', async () => {
  const { agg, recorded, settle } = aggregator(2);
  agg.note('a', 'a', 0);
  agg.note('b', 'b', 0);
  agg.note('c', 'c', 60_000);
  await settle();
  expect(recorded.map(([r, how]) => [r, how.overflow])).toEqual([
    ['a', false],
    ['b', false],
    ['c', false],
  ]);
  await agg.close();
});
