import { parseOsRelease } from './os-release';

test('reads quoted and unquoted fields, falls back for missing ones', () => {
  const text =
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n# comment\n';
  expect(parseOsRelease(text)).toEqual({
    id: 'debian',
    name: 'Debian GNU/Linux',
    version: '12',
    prettyName: 'Debian GNU/Linux 12 (bookworm)',
  });
  expect(parseOsRelease("NAME='Alpine Linux'\n")).toEqual({
    id: 'linux',
    name: 'Alpine Linux',
    version: '',
    prettyName: 'Alpine Linux',
  });
});

test('a line the facts cannot read is skipped, never thrown: the agent still connects', () => {
  expect(parseOsRelease('NAME="unterminated\nID=debian\nexport VERSION_ID=12 # bookworm\nPRETTY NAME=x\n')).toEqual({
    id: 'debian',
    name: 'Linux',
    version: '12',
    prettyName: 'Linux',
  });
});
