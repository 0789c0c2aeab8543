import { fromJsonData, toJsonData, validateConfig } from './validate';

const form = (values: Partial<ReturnType<typeof fromJsonData>>) => ({ ...fromJsonData({}), ...values });

test('the nester URL is required and must be http(s) without credentials', () => {
  expect(validateConfig(form({}))).toEqual({ nesterUrl: 'Required' });
  expect(validateConfig(form({ nesterUrl: 'nester:8080' })).nesterUrl).toMatch(/Must start with http/);
  expect(validateConfig(form({ nesterUrl: 'http://u:p@nester:8080' })).nesterUrl).toMatch(/API token field/);
  expect(validateConfig(form({ nesterUrl: 'http://nester:8080' }))).toEqual({});
});

test('the public WebSocket URL, when given, is ws(s)', () => {
  expect(validateConfig(form({ nesterUrl: 'http://n', websocketUrl: 'https://n/ws' })).websocketUrl).toMatch(/ws:\/\//);
  expect(validateConfig(form({ nesterUrl: 'http://n', websocketUrl: 'wss://n/ws/session' }))).toEqual({});
});

test('stored settings are trimmed, without trailing slashes, and empty fields left out', () => {
  expect(
    toJsonData(form({ nesterUrl: ' http://nester:8080/ ', enrollUrl: 'https://public/', websocketUrl: ' ' })),
  ).toEqual({
    nesterUrl: 'http://nester:8080',
    enrollUrl: 'https://public',
  });
});
