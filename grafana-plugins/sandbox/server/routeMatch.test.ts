/** @jest-environment node */
import { interpolate } from './goTemplate';
import { matchRoute } from './routeMatch';

test.each([
  ['api/v1/harvesters', 'api/v1/harvesters', true, undefined],
  ['api/v1/harvesters', '/api/v1/harvesters/', true, undefined],
  ['api/v1/harvesters', 'api/v1/harvesters/h_1', false, undefined],
  ['api/v1/harvesters/*', 'api/v1/harvesters', false, undefined],
  ['api/v1/harvesters/*', 'api/v1/harvesters/h_1', true, 'h_1'],
  ['api/v1/harvesters/*', 'api/v1/harvesters/h_1/revoke', true, 'h_1/revoke'],
  ['api/v1/harvesters/*', 'api/v1/harvesters/a%20b', true, 'a b'],
  ['api/:version/harvesters', 'api/v2/harvesters', true, undefined],
  ['api/*/harvesters', 'api/v2/harvesters', true, undefined],
  ['api/*/harvesters', 'api/v2/x/harvesters', false, undefined],
])('pattern %s against %s', (pattern, path, matched, rest) => {
  const result = matchRoute(pattern, path);
  expect(result.matched).toBe(matched);
  expect(result.rest).toBe(rest);
});

test('Go template fields are filled; a missing key prints <no value> as Go does', () => {
  const data = { JsonData: { nesterUrl: 'http://n:8080', port: 8080 }, SecureJsonData: { apiToken: 't0k' } };
  expect(interpolate('{{ .JsonData.nesterUrl }}/api', data)).toBe('http://n:8080/api');
  expect(interpolate('Bearer {{.SecureJsonData.apiToken}}', data)).toBe('Bearer t0k');
  expect(interpolate('{{ .JsonData.port }}', data)).toBe('8080');
  expect(interpolate('Bearer {{ .SecureJsonData.missing }}', data)).toBe('Bearer <no value>');
  expect(() => interpolate('{{ index .JsonData "x" }}', data)).toThrow(/unsupported template action/);
});
