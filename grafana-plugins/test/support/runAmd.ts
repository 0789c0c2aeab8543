import vm from 'node:vm';

/** Runs an AMD module.js the way SystemJS's AMD extra does and returns what its factory gives. */
export function runAmd(source: string, modules: Record<string, unknown>, uri: string) {
  let result: unknown;
  let deps: string[] = [];
  const define = (names: string[], factory: (...args: unknown[]) => unknown) => {
    deps = names;
    const module = { uri, exports: {} };
    result = factory(...names.map((name) => (name === 'module' ? module : modules[name])));
  };
  vm.runInThisContext(`(function (define) { ${source}\n})`)(define);
  return { deps, result };
}
