import { formatFloatF, formatValue } from './format';

test('sample values print as Prometheus prints them', () => {
  expect(
    [1, 0.25, -0, 0, 1e-7, 1.5e21, 1e21 - 131072, 123456.789, 5e-324, NaN, Infinity, -Infinity].map(formatValue),
  ).toEqual([
    '1',
    '0.25',
    '-0',
    '0',
    '1e-07',
    '1.5e+21',
    '999999999999999900000',
    '123456.789',
    '5e-324',
    'NaN',
    '+Inf',
    '-Inf',
  ]);
});

test('count_values labels print as strconv.FormatFloat(v, f, -1, 64)', () => {
  expect([1e21, 1.5e-7, -2.5, 100, 0.1].map(formatFloatF)).toEqual([
    '1000000000000000000000',
    '0.00000015',
    '-2.5',
    '100',
    '0.1',
  ]);
});
