import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Collapse, useStyles2 } from '@grafana/ui';
import { useState } from 'react';

const MACROS: Array<[string, string]> = [
  ['$__timeFilter(time)', 'time between the panel’s from and to'],
  [
    '$__timeGroupAlias(time, $__interval)',
    'time bucket start, AS "time" (time_bucket on TimescaleDB, date_bin otherwise)',
  ],
  ['$__timeGroup(time, 5m)', 'the same bucket, without the alias'],
  ['$__timeFrom(), $__timeTo()', 'the range’s ends (timestamptz)'],
  ['$__unixEpochFilter(col)', 'an epoch-seconds column within the range'],
  ['$__interval, $__interval_ms', 'Grafana’s suggested interval'],
  ['$host, ${host}', 'a dashboard variable, always inserted as a quoted literal: host = $host, host IN ($hosts)'],
];

const TABLES: Array<[string, string]> = [
  ['samples', 'series_id bigint, time timestamptz, value float8'],
  ['series_labels', "series_id bigint, metric_name text, labels jsonb (e.g. labels->>'instance')"],
];

const EXAMPLE = `SELECT $__timeGroupAlias(s.time, $__interval), avg(s.value) AS load1
FROM samples s JOIN series_labels l USING (series_id)
WHERE $__timeFilter(s.time) AND l.metric_name = 'node_load1' AND l.labels->>'instance' IN ($instance)
GROUP BY 1 ORDER BY 1`;

/** What a SQL query can use: the macros, the tables the read-only role may read, an example. */
export function MacroHelp() {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  return (
    <Collapse label="Macros, tables and an example" collapsible isOpen={open} onToggle={() => setOpen(!open)}>
      <table className={styles.table}>
        <tbody>
          {[...MACROS, ...TABLES].map(([name, what]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.note}>
        One SELECT, run read-only with a time limit. The result is one table with typed columns: a time column with one
        number column per series draws as a time series; a label column beside them (long format) needs Grafana&apos;s
        “Prepare time series” transformation.
      </p>
      <pre className={styles.example}>{EXAMPLE}</pre>
    </Collapse>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({ td: { padding: theme.spacing(0.25, 1, 0.25, 0), verticalAlign: 'top' } }),
  note: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(1) }),
  example: css({ fontSize: theme.typography.bodySmall.fontSize, whiteSpace: 'pre-wrap' }),
});
