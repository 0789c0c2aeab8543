import { DataSourceApi } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { useEffect, useState } from 'react';

/** The datasource instance of a uid, made as Grafana makes it (getDataSourceSrv().get). */
export function useDataSource(uid: string | undefined, version = 0) {
  // What was loaded, and for which uid and version: another one's is not shown while loading.
  const [state, setState] = useState<{ uid?: string; version?: number; ds?: DataSourceApi; error?: unknown }>({});
  useEffect(() => {
    if (!uid) {
      return undefined;
    }
    let alive = true;
    getDataSourceSrv()
      .get(uid)
      .then(
        (ds) => alive && setState({ uid, version, ds }),
        (error: unknown) => {
          console.error(error);
          if (alive) {
            setState({ uid, version, error });
          }
        },
      );
    return () => {
      alive = false;
    };
  }, [uid, version]);
  return uid && state.uid === uid && state.version === version ? { ds: state.ds, error: state.error } : {};
}
