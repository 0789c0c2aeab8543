import { GrafanaTheme2 } from '@grafana/data';
import type { ITheme } from '@xterm/xterm';

// ANSI colours readable on Grafana's dark and light backgrounds.
const darkPalette = {
  black: '#1f1f20',
  red: '#f2495c',
  green: '#73bf69',
  yellow: '#fade2a',
  blue: '#5794f2',
  magenta: '#b877d9',
  cyan: '#8ab8ff',
  white: '#d8d9da',
  brightBlack: '#6e6e71',
  brightRed: '#ff7383',
  brightGreen: '#96d98d',
  brightYellow: '#ffee52',
  brightBlue: '#8ab8ff',
  brightMagenta: '#ca95e5',
  brightCyan: '#c0d8ff',
  brightWhite: '#ffffff',
};

const lightPalette = {
  black: '#24292e',
  red: '#c4162a',
  green: '#37872d',
  yellow: '#b4790f',
  blue: '#1f60c4',
  magenta: '#8f3bb8',
  cyan: '#0b7285',
  white: '#6e6e71',
  brightBlack: '#464c54',
  brightRed: '#e02f44',
  brightGreen: '#56a64b',
  brightYellow: '#cc9d00',
  brightBlue: '#3274d9',
  brightMagenta: '#a352cc',
  brightCyan: '#1098ad',
  brightWhite: '#24292e',
};

/** The terminal's colours, following Grafana's current theme. */
export function terminalTheme(theme: GrafanaTheme2): ITheme {
  return {
    ...(theme.isDark ? darkPalette : lightPalette),
    background: theme.colors.background.primary,
    foreground: theme.colors.text.primary,
    cursor: theme.colors.text.primary,
    cursorAccent: theme.colors.background.primary,
    selectionBackground: theme.isDark ? 'rgba(87, 148, 242, 0.4)' : 'rgba(31, 96, 196, 0.25)',
  };
}
