import { decorations } from './desktop';

test('the desktop shows the banner naming the harvester, top in an xterm and a clock, when installed', () => {
  const all = decorations('served by harvester h_1 (env=demo)', () => true);
  expect(all.map((d) => d.program)).toEqual(['xmessage', 'xterm', 'xclock']);
  expect(all[0].args.at(-1)).toBe('served by harvester h_1 (env=demo)');
  expect(all[1].args).toEqual(expect.arrayContaining(['-e', 'top']));
});

test('programs that are not installed are left out, not started to fail', () => {
  expect(decorations('banner', (program) => program === 'xclock').map((d) => d.program)).toEqual(['xclock']);
});
