import { sanitizeFacts } from './facts';
import { hasUnstorableCharacters } from '../text/storable-text';

test('facts are cut on code points and lose NUL, lone surrogates and control characters', () => {
  const facts = sanitizeFacts({
    hostname: 'a'.repeat(255) + '😀😀',
    os: { name: 'Debian\u0000', prettyName: 'bad \ud800 half' },
    addresses: ['10.0.0.1\u0000', '\udc00'],
    labels: { site: 'par\nis\udbff' },
  });
  expect(facts.hostname).toBe('a'.repeat(255) + '😀');
  expect(facts.os.name).toBe('Debian');
  expect(facts.os.prettyName).toBe('bad  half');
  expect(facts.addresses).toEqual(['10.0.0.1']);
  expect(facts.labels).toEqual({ site: 'paris' });
  expect(hasUnstorableCharacters(JSON.stringify(facts))).toBe(false);
  // What PostgreSQL's jsonb would read: no \u0000 nor lone-surrogate escapes.
  expect(JSON.stringify(facts)).not.toMatch(/\\u(0000|d[89a-f])/i);
});
