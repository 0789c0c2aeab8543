import { SandboxTemplateSrv } from '@nester/sandbox/shell/templateSrv';
import { interpolateSql, sqlSegments } from './sqlInterpolate';

const templateSrv = new SandboxTemplateSrv({
  host: 'web-1',
  hosts: ['web-1', "o'brien"],
  drop: "'; DROP TABLE samples; --",
  quote: "x' OR '1'='1",
  backslash: "\\'; DROP TABLE samples; --",
  newline: 'x\nDROP TABLE samples',
  ident: 'a"; DROP TABLE samples; --',
  none: [],
});

const sql = (text: string, scopedVars = {}) => interpolateSql(text, templateSrv, scopedVars);

test('in code a value becomes one quoted literal, whatever it holds', () => {
  expect(sql('SELECT 1 WHERE host = $drop')).toBe("SELECT 1 WHERE host = '''; DROP TABLE samples; --'");
  expect(sql('SELECT 1 WHERE host = ${quote}')).toBe("SELECT 1 WHERE host = 'x'' OR ''1''=''1'");
  // standard_conforming_strings: a backslash is an ordinary character in '…' literals.
  expect(sql('SELECT 1 WHERE host = $backslash')).toBe("SELECT 1 WHERE host = '\\''; DROP TABLE samples; --'");
});

test('several values become a list of literals; none becomes NULL (IN () would not parse)', () => {
  expect(sql('SELECT 1 WHERE host IN ($hosts)')).toBe("SELECT 1 WHERE host IN ('web-1','o''brien')");
  expect(sql('SELECT 1 WHERE host IN ($none)')).toBe('SELECT 1 WHERE host IN (NULL)');
});

test("inside the author's own string a value is escaped, not quoted again", () => {
  // Quoting again would close the author's string: '%'x'%' — the classic LIKE injection.
  expect(sql("SELECT 1 WHERE host LIKE '%$drop%'")).toBe("SELECT 1 WHERE host LIKE '%''; DROP TABLE samples; --%'");
  expect(sql("SELECT 1 WHERE host = '$host'")).toBe("SELECT 1 WHERE host = 'web-1'");
});

test("in E strings backslashes are doubled as well, so \\' cannot end the string", () => {
  expect(sql("SELECT E'$backslash'")).toBe("SELECT E'\\\\''; DROP TABLE samples; --'");
});

test('quoted identifiers double their quotes', () => {
  expect(sql('SELECT "$ident" FROM samples')).toBe('SELECT "a""; DROP TABLE samples; --" FROM samples');
  expect(() => sql('SELECT "$hosts" FROM samples')).toThrow(/needs exactly one value/);
});

test('comments are left alone: a value with a newline must not end one', () => {
  expect(sql('SELECT 1 -- host $newline\nFROM samples')).toBe('SELECT 1 -- host $newline\nFROM samples');
  expect(sql('SELECT /* $drop */ 1')).toBe('SELECT /* $drop */ 1');
});

test('dollar-quoted strings and format specifiers are refused, not guessed at', () => {
  expect(() => sql('SELECT $$ $host $$')).toThrow(/dollar-quoted/);
  expect(() => sql('SELECT $tag$ ${host} $tag$')).toThrow(/dollar-quoted/);
  expect(() => sql('SELECT 1 WHERE host = ${drop:raw}')).toThrow(/format specifiers are not allowed/);
  expect(() => sql("SELECT 1 WHERE host = '[[host:csv]]'")).toThrow(/format specifiers are not allowed/);
});

test("Grafana's time range variables may carry a format (their values are timestamps)", () => {
  // The stand-in template service knows no date formats and writes the raw value.
  const vars = { __from: { text: '1700000000000', value: '1700000000000' } };
  expect(sql("SELECT 1 WHERE time > '${__from:date:iso}'", vars)).toBe("SELECT 1 WHERE time > '1700000000000'");
  expect(() => sql("SELECT 1 WHERE time > '${host:date:iso}'")).toThrow(/format specifiers are not allowed/);
});

test("the adapter's macros, $1-style parameters and unknown variables pass through untouched", () => {
  const text =
    'SELECT $__timeGroupAlias(time, $__interval), $__interval_ms, $1 FROM samples WHERE $__timeFilter(time) AND $unknown';
  expect(sql(text, { __interval: { text: '1m', value: '1m' }, __interval_ms: { text: '60000', value: 60000 } })).toBe(
    text,
  );
});

test('the lexer knows strings, identifiers, comments and dollar quotes', () => {
  expect(
    sqlSegments(`SELECT 'it''s', E'a\\'b', "x""y", $f$ ' $f$ -- c\n/* a /* nested */ b */ 1`).map((s) => [
      s.context,
      s.text,
    ]),
  ).toEqual([
    ['code', 'SELECT '],
    ['string', "'it''s'"],
    ['code', ', '],
    ['escapeString', "E'a\\'b'"],
    ['code', ', '],
    ['identifier', '"x""y"'],
    ['code', ', '],
    ['dollar', "$f$ ' $f$"],
    ['code', ' '],
    ['comment', '-- c'],
    ['code', '\n'],
    ['comment', '/* a /* nested */ b */'],
    ['code', ' 1'],
  ]);
});
