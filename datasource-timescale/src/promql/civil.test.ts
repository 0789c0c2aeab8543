import { civil } from './civil';

test('the calendar agrees with JS dates where both exist, and with Go beyond', () => {
  for (const s of [0, 951782400, 1709251200, 4107542400, -86400, -62135596800, 253402300799]) {
    const d = new Date(s * 1000);
    const c = civil(s);
    expect([c.year, c.month, c.day, c.hour, c.minute, c.weekday]).toEqual([
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCDay(),
    ]);
  }
  expect(civil(1709251200).daysInMonth).toBe(31); // 2024-03-01
  expect(civil(1709164800).daysInMonth).toBe(29); // 2024-02-29
  expect(civil(1709164800).dayOfYear).toBe(60);
  // What Go gives for int64(NaN) = MinInt64 (checked against Prometheus 2.42: year(vector(NaN))).
  expect(civil(NaN).year).toBe(292277026596);
});
