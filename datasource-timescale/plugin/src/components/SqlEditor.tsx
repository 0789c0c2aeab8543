import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { TextArea, useStyles2 } from '@grafana/ui';
import { useState } from 'react';

import { MacroHelp } from './MacroHelp';

export interface SqlEditorProps {
  sql: string;
  onChange: (sql: string) => void;
  onRunQuery: () => void;
}

/** Raw SQL: kept locally while typing; saved and run on blur or Ctrl/Cmd+Enter. */
export function SqlEditor({ sql, onChange, onRunQuery }: SqlEditorProps) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState(sql);
  // A new saved query from outside (another panel, undo) replaces what is being typed.
  const [shownSql, setShownSql] = useState(sql);
  if (sql !== shownSql) {
    setShownSql(sql);
    setText(sql);
  }
  const commit = () => {
    if (text !== sql) {
      onChange(text);
    }
    onRunQuery();
  };
  return (
    <div data-testid="timescale-sql">
      <TextArea
        aria-label="SQL"
        className={styles.sql}
        rows={Math.min(16, Math.max(4, text.split('\n').length + 1))}
        value={text}
        spellCheck={false}
        placeholder="SELECT $__timeGroupAlias(time, $__interval), avg(value) FROM samples WHERE $__timeFilter(time) GROUP BY 1 ORDER BY 1"
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            commit();
          }
        }}
      />
      <MacroHelp />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  sql: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
});
