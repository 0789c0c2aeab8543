import { MatcherType } from '@nester/common/prompb/types';
import { parseSelector } from './selector';

test('parses metric names, all four operators and every quoting style', () => {
  expect(parseSelector(`node_cpu_seconds_total{mode!="idle", cpu=~'1|2',job!~\`a\\d\`, x="q\\"\\n\\u00e9"}`)).toEqual([
    { type: MatcherType.EQ, name: '__name__', value: 'node_cpu_seconds_total' },
    { type: MatcherType.NEQ, name: 'mode', value: 'idle' },
    { type: MatcherType.RE, name: 'cpu', value: '1|2' },
    { type: MatcherType.NRE, name: 'job', value: 'a\\d' },
    { type: MatcherType.EQ, name: 'x', value: 'q"\né' },
  ]);
  expect(parseSelector('{__name__=~"up|down",}')).toEqual([
    { type: MatcherType.RE, name: '__name__', value: 'up|down' },
  ]);
});

test('says where a selector is malformed', () => {
  expect(() => parseSelector('up{job="x"')).toThrow(/character 11: expected , or }|unterminated/);
  expect(() => parseSelector('up{job~"x"}')).toThrow(/expected one of = != =~ !~/);
  expect(() => parseSelector('up{job="x"} or 1')).toThrow(/unexpected text/);
  expect(() => parseSelector('')).toThrow(/empty selector/);
  expect(() => parseSelector('up{job="\\q"}')).toThrow(/unknown escape/);
});
