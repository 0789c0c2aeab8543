import { parseRequestTarget } from './request-target';

const status = (target: string) => {
  try {
    parseRequestTarget(target);
    return 200;
  } catch (err) {
    return (err as { status: number }).status;
  }
};

test('plain targets split into decoded segments and a query, empty segments left out', () => {
  const target = parseRequestTarget('/api/v1/harvesters/h%5F1/?q=a%20b&limit=5');
  expect(target).toMatchObject({ path: '/api/v1/harvesters/h%5F1/', segments: ['api', 'v1', 'harvesters', 'h_1'] });
  expect(target.query.get('q')).toBe('a b');
  expect(parseRequestTarget('/a//b').segments).toEqual(['a', 'b']);
});

test('the absolute form is read for its path only; other forms are refused', () => {
  expect(parseRequestTarget('http://a:99999/healthz?x=1').segments).toEqual(['healthz']);
  expect(parseRequestTarget('HTTPS://[::1').path).toBe('/');
  for (const target of ['*', 'example.com:443', 'healthz', '', 'ftp://x/healthz']) expect(status(target)).toBe(400);
});

test.each([
  '/api/v1/harvesters/../recordings/s_1',
  '/api/v1/harvesters/..',
  '/./healthz',
  '/api/v1/harvesters/..%2Frecordings',
  '/api/v1/harvesters/%2e%2e/events',
  '/api/v1/harvesters/%2E%2E',
  '/api/v1/harvesters/.%2e/x',
  '/api/v1/harvesters/%2e/x',
  '/api/v1/harvesters/..%5Cevents',
  '/api/v1/harvesters/..\\events',
  '/api/v1/harvesters/a%2fb',
  '/api/v1/harvesters/h%00',
  '/ws/agent/session/%ZZ',
  '/x%',
  '/x%e',
  '/api/v1/harvesters/%C0%AE',
  '/a#b',
])('%s is refused with 400', (target) => {
  expect(status(target)).toBe(400);
});

test('NUL in the query is refused; dots and encoded slashes there are just data', () => {
  expect(status('/api/v1/harvesters?q=%00')).toBe(400);
  expect(parseRequestTarget('/api/v1/harvesters?q=..%2F%2e').query.get('q')).toBe('../.');
  expect(status('/api/v1/harvesters?q=%zz')).toBe(400);
});

test('overlong targets are refused before any work', () => {
  expect(status('/' + 'a'.repeat(9000))).toBe(414);
});
