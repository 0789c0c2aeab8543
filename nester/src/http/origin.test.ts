import { normalizeOrigin, OriginPolicy } from './origin';

test('origins must match scheme, host and port exactly', () => {
  const policy = new OriginPolicy(['https://Grafana.example.com', 'http://localhost:3000/']);
  expect(policy.allows('https://grafana.example.com')).toBe(true);
  expect(policy.allows('https://grafana.example.com:443')).toBe(true);
  expect(policy.allows('http://localhost:3000')).toBe(true);
  expect(policy.allows('http://grafana.example.com')).toBe(false);
  expect(policy.allows('https://grafana.example.com.evil.test')).toBe(false);
  expect(policy.allows('http://localhost:3001')).toBe(false);
  expect(policy.allows('null')).toBe(false);
  expect(policy.allows(undefined)).toBe(false);
});

test('allow-list entries that are not origins are refused', () => {
  expect(() => normalizeOrigin('grafana.example.com')).toThrow();
  expect(() => normalizeOrigin('https://grafana.example.com/path')).toThrow(/not an origin/);
  expect(() => normalizeOrigin('ws://x')).toThrow(/not an http/);
});
