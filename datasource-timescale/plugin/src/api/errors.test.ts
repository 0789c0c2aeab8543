import { GRAFANA_AUTH_FAILED, toAdapterError } from './errors';

const fetchError = (status: number, data: unknown) => ({ status, data, statusText: '', config: { url: '' } });

test("Grafana's proxy reports the adapter's 401 as a 400 with its own text; both mean a wrong token", () => {
  for (const err of [
    fetchError(400, { message: GRAFANA_AUTH_FAILED, error: 'Bad Request', response: GRAFANA_AUTH_FAILED }),
    fetchError(401, { status: 'error', errorType: 'unauthorized', error: 'token not accepted for the read role' }),
  ]) {
    const mapped = toAdapterError(err);
    expect(mapped.kind).toBe('auth');
    expect(mapped.status).toBe(401);
    expect(mapped.message).toMatch(/refused the read token \(401\).*--auth\.read-token-file/);
  }
});

test("a 400 carries the adapter's reason", () => {
  const mapped = toAdapterError(
    fetchError(400, { status: 'error', errorType: 'bad_data', error: 'bad selector at character 3: expected , or }' }),
  );
  expect(mapped).toMatchObject({ kind: 'bad-request', status: 400 });
  expect(mapped.message).toBe('The adapter refused the request: bad selector at character 3: expected , or }');
});

test.each([
  [
    403,
    { message: 'plugin proxy route access denied' },
    'forbidden',
    /Access denied: plugin proxy route access denied/,
  ],
  [403, { error: 'no read tokens are configured on this adapter' }, 'forbidden', /no read token configured/],
  [404, { error: 'no route /api/v1/labels' }, 'not-found', /Is the URL the adapter's own address/],
  [422, { error: 'query would read 60000000 samples' }, 'limit', /limits refused the query: query would read/],
  [502, 'Bad Gateway', 'unreachable', /could not reach the adapter at the datasource URL/],
  [503, { error: 'database unavailable, retry later' }, 'unavailable', /unavailable \(503\): database unavailable/],
  [504, 'Gateway Timeout', 'unreachable', /did not answer in time/],
  [500, { error: 'internal error: boom' }, 'error', /HTTP 500: internal error: boom/],
])('HTTP %i says what to do', (status, data, kind, message) => {
  const mapped = toAdapterError(fetchError(status, data));
  expect(mapped.kind).toBe(kind);
  expect(mapped.message).toMatch(message);
});

test('errors that are not HTTP answers keep their message', () => {
  expect(toAdapterError(new Error('the range "x" is not a duration')).message).toBe('the range "x" is not a duration');
});
