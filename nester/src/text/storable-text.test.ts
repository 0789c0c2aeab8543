import { hasUnstorableCharacters, storableText } from './storable-text';

test('cuts on code points, never inside a surrogate pair', () => {
  const text = 'a'.repeat(255) + '😀tail';
  const cut = storableText(text, 256);
  expect(cut).toBe('a'.repeat(255) + '😀');
  expect(hasUnstorableCharacters(cut)).toBe(false);
  expect(storableText('😀😀😀', 2)).toBe('😀😀');
});

test('drops NUL and lone surrogates, and control characters when asked', () => {
  expect(storableText('a\u0000b\ud800c\udc00d', 100)).toBe('abcd');
  expect(storableText('line\nbreak\u007f', 100)).toBe('line\nbreak\u007f');
  expect(storableText('line\nbreak\u007f', 100, { stripControls: true })).toBe('linebreak');
});

test('tells which strings PostgreSQL would refuse', () => {
  expect(hasUnstorableCharacters('plain é 😀')).toBe(false);
  expect(hasUnstorableCharacters('nul\u0000')).toBe(true);
  expect(hasUnstorableCharacters('high\ud800')).toBe(true);
  expect(hasUnstorableCharacters('\udc00low')).toBe(true);
  expect(hasUnstorableCharacters('😀'.slice(0, 1))).toBe(true);
});
