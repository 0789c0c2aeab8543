import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';

/** A plain data table in Grafana's look, shared by the app's list pages. */
export const getTableStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      verticalAlign: 'middle',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    'tbody tr:hover': { background: theme.colors.action.hover },
  }),
  muted: css({ color: theme.colors.text.secondary }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  actions: css({ display: 'flex', gap: theme.spacing(1), justifyContent: 'flex-end' }),
});
