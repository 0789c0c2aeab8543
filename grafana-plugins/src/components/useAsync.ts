import { useCallback, useEffect, useState } from 'react';

export interface AsyncState<T> {
  loading: boolean;
  value?: T;
  error?: unknown;
  /** Loads again now (keeps showing the last value meanwhile). */
  reload: () => void;
}

/**
 * Runs `load` now and whenever it changes, every `refreshMs` if given, cancelling the previous
 * run. The last good value stays on screen while a refresh is in flight. `load` must keep its
 * identity between renders (a module function, or useCallback with what it reads): a new
 * function every render would load again on every render.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, refreshMs?: number): AsyncState<T> {
  const [state, setState] = useState<Omit<AsyncState<T>, 'reload'>>({ loading: true });
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      setState((previous) => ({ ...previous, loading: true }));
      load(controller.signal)
        .then(
          (value) => !controller.signal.aborted && setState({ loading: false, value }),
          (error: unknown) =>
            !controller.signal.aborted && setState((previous) => ({ ...previous, loading: false, error })),
        )
        .finally(() => {
          if (refreshMs && !controller.signal.aborted) {
            timer = setTimeout(run, refreshMs);
          }
        });
    };
    run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [load, nonce, refreshMs]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
