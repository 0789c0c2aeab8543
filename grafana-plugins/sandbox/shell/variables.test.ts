import { replaceVariables, scopedText, variablesFromQuery } from './variables';

const vars = { host: 'web-07', hosts: ['web-07', 'web-08'], dot: 'a.b' };

test.each([
  ['$host', undefined, 'web-07'],
  ['${host}:9100', undefined, 'web-07:9100'],
  ['[[host]]', undefined, 'web-07'],
  ['$hosts', undefined, '{web-07,web-08}'],
  ['${hosts:csv}', undefined, 'web-07,web-08'],
  ['${hosts:pipe}', undefined, 'web-07|web-08'],
  ['${dot:regex}', undefined, 'a\\.b'],
  ['${hosts:queryparam}', undefined, 'var-hosts=web-07&var-hosts=web-08'],
  ['$unknown stays', undefined, '$unknown stays'],
])('%s', (text, format, expected) => {
  expect(replaceVariables(text, vars, format)).toBe(expected);
});

test('a format function gets the raw value or values', () => {
  expect(replaceVariables('$hosts', vars, (value) => (Array.isArray(value) ? value[0] : value))).toBe('web-07');
});

test('variables come from var- parameters, repeated for several values', () => {
  expect(variablesFromQuery(new URLSearchParams('var-host=a&var-many=x&var-many=y&other=1'))).toEqual({
    host: 'a',
    many: ['x', 'y'],
  });
});

test.each([
  ['a string', '30s', '30s'],
  ['a number ($__interval_ms)', 30000, '30000'],
  ['a boolean', true, 'true'],
  ['a list', ['a', 1], 'a,1'],
  ['nothing', undefined, ''],
  ['an object, which no template prints', { scene: {} }, ''],
])('a scoped variable holding %s reads as text', (_name, value, expected) => {
  expect(scopedText(value)).toBe(expected);
});
