import { buildVerdict } from './up-to-date';

const at = (path: string, mtimeMs?: number) => ({ path, mtimeMs });

test('outputs newer than every source: up to date, the build is skipped', () => {
  expect(buildVerdict([at('src/a.ts', 100), at('src/b.ts', 200)], [at('dist/module.js', 300)])).toEqual({
    upToDate: true,
  });
});

test('an output as old as the newest source is up to date (the build wrote it in the same tick)', () => {
  expect(buildVerdict([at('src/a.ts', 200)], [at('dist/module.js', 200)]).upToDate).toBe(true);
});

test('a source changed after the oldest output: rebuilt, naming both files', () => {
  expect(
    buildVerdict([at('src/a.ts', 100), at('src/b.ts', 400)], [at('dist/module.js', 500), at('dist/other.js', 300)]),
  ).toEqual({ upToDate: false, reason: 'src/b.ts changed after dist/other.js was built' });
});

test('a missing output: rebuilt, whatever the sources', () => {
  expect(buildVerdict([at('src/a.ts', 1)], [at('dist/module.js', 500), at('dist/shell.js')])).toEqual({
    upToDate: false,
    reason: 'dist/shell.js is missing',
  });
  expect(buildVerdict([], [at('dist/module.js')]).upToDate).toBe(false);
});

test('a step naming no output is never taken as built', () => {
  expect(buildVerdict([at('src/a.ts', 1)], []).upToDate).toBe(false);
});
