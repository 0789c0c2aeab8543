import { SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

import { toAdapterError } from '../api/errors';

export interface LazyOptions {
  options: Array<SelectableValue<string>>;
  loading: boolean;
  error?: string;
  /** Loads (once per key) when a picker opens, so an editor with many pickers costs few calls. */
  load: () => void;
}

/** Dashboard variables offered alongside the adapter's values, as Grafana's own editors do. */
export function variableOptions(): Array<SelectableValue<string>> {
  try {
    return getTemplateSrv()
      .getVariables()
      .map((variable) => ({
        label: `$${variable.name}`,
        value: `$${variable.name}`,
        description: 'Dashboard variable',
      }));
  } catch {
    return [];
  }
}

export function useLazyOptions(key: string, fetch: () => Promise<string[]>, withVariables = true): LazyOptions {
  const [state, setState] = useState<{ key?: string; values: string[]; loading: boolean; error?: string }>({
    values: [],
    loading: false,
  });
  // The latest fetch, for a picker opened later; not a reason to load again by itself.
  const fetchRef = useRef(fetch);
  useLayoutEffect(() => {
    fetchRef.current = fetch;
  });
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const load = useCallback(() => {
    if (state.key === key && !state.error) {
      return;
    }
    setState({ key, values: [], loading: true });
    fetchRef.current().then(
      (values) => alive.current && setState({ key, values, loading: false }),
      (err: unknown) =>
        alive.current && setState({ key, values: [], loading: false, error: toAdapterError(err).message }),
    );
  }, [key, state.key, state.error]);

  const values = state.key === key ? state.values : [];
  return {
    options: [...values.map((value) => ({ label: value, value })), ...(withVariables ? variableOptions() : [])],
    loading: state.loading,
    error: state.key === key ? state.error : undefined,
    load,
  };
}
