import type { ITerminalOptions, ITheme } from '@xterm/xterm';

export const terminalFontFamily =
  'ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';

/** Matches --log-bg in app.css; the log stays dark in both colour schemes, as terminals do. */
export const terminalTheme: ITheme = {
  background: '#0b0f14',
  foreground: '#d6dde6',
  cursor: '#0b0f14',
  cursorAccent: '#0b0f14',
  selectionBackground: '#2f4a6d',
  black: '#1b222c',
  red: '#ff6b6b',
  green: '#5fd38d',
  yellow: '#f0c75e',
  blue: '#5aa9ff',
  magenta: '#c792ea',
  cyan: '#5ccfe6',
  white: '#d6dde6',
  brightBlack: '#6b7785',
  brightRed: '#ff8f8f',
  brightGreen: '#8be3ab',
  brightYellow: '#ffe08a',
  brightBlue: '#8cc4ff',
  brightMagenta: '#ddb6f2',
  brightCyan: '#8ee3f2',
  brightWhite: '#ffffff',
};

/** A read-only log terminal, as every log view shows one. */
export function logTerminalOptions(scrollback: number): ITerminalOptions {
  return {
    convertEol: false,
    disableStdin: true,
    scrollback,
    cursorBlink: false,
    cursorInactiveStyle: 'none',
    fontFamily: terminalFontFamily,
    fontSize: 13,
    lineHeight: 1.2,
    theme: terminalTheme,
  };
}
