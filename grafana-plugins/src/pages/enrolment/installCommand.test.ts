import { installCommand, shellQuote } from './installCommand';

test('the install command is one line with the nester URL and the token', () => {
  expect(installCommand('https://nester.example.com', 'et_abc123')).toBe(
    'harvester enroll --nester-url https://nester.example.com --token et_abc123',
  );
});

test('words with shell characters are quoted so the line runs as shown', () => {
  expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
  expect(shellQuote('$(reboot)')).toBe(`'$(reboot)'`);
});
