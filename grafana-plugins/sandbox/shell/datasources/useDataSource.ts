import { DataSourceApi } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { useEffect, useState } from 'react';

/** The datasource instance of a uid, made as Grafana makes it (getDataSourceSrv().get). */
export function useDataSource(uid: string | undefined, version = 0) {
  const [state, setState] = useState<{ ds?: DataSourceApi; error?: unknown }>({});
  useEffect(() => {
    if (!uid) {
      return undefined;
    }
    let alive = true;
    setState({});
    getDataSourceSrv()
      .get(uid)
      .then(
        (ds) => alive && setState({ ds }),
        (error: unknown) => {
          console.error(error);
          if (alive) {
            setState({ error });
          }
        },
      );
    return () => {
      alive = false;
    };
  }, [uid, version]);
  return state;
}
