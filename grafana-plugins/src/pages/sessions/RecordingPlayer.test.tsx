import { createTheme } from '@grafana/data';
import { act, fireEvent, render, screen } from '@testing-library/react';

import { SessionDepsContext } from '../../session/deps';
import { FakeTerminal, createFakeTerminal } from '../../../test/support/fakeTerminal';
import { fakeNester } from '../../../test/support/fakeNester';
import { socketFactory } from '../../../test/support/fakeWebSocket';
import { terminalTheme } from '../../terminal/theme';
import { Cast, parseCast } from './asciicast';
import { RecordingPlayer } from './RecordingPlayer';

const cast = parseCast(
  [
    JSON.stringify({ version: 2, width: 90, height: 20 }),
    JSON.stringify([0.5, 'o', 'one ']),
    JSON.stringify([1.5, 'o', 'two ']),
    JSON.stringify([2.5, 'o', 'three']),
  ].join('\n'),
);

const deps = { ...fakeNester().deps(socketFactory().create), createTerminal: createFakeTerminal };

function renderPlayer() {
  FakeTerminal.instances = [];
  render(
    <SessionDepsContext.Provider value={deps}>
      <RecordingPlayer cast={cast} />
    </SessionDepsContext.Provider>,
  );
  return FakeTerminal.instances[0];
}

test('opens a read-only terminal at the recorded size', () => {
  const terminal = renderPlayer();
  expect(terminal).toMatchObject({ cols: 90, rows: 20 });
  expect(terminal.options.disableStdin).toBe(true);
  expect(screen.getByTestId('recording-clock')).toHaveTextContent('0:00 / 0:02');
});

test("the terminal takes Grafana's theme, and so does the next recording's", () => {
  FakeTerminal.instances = [];
  const withCast = (shown: Cast) => (
    <SessionDepsContext.Provider value={deps}>
      <RecordingPlayer cast={shown} />
    </SessionDepsContext.Provider>
  );
  const view = render(withCast(cast));
  view.rerender(withCast(parseCast(JSON.stringify({ version: 2, width: 40, height: 10 }))));
  const [first, next] = FakeTerminal.instances;
  expect(next).toMatchObject({ cols: 40, rows: 10 });
  expect(first.options.theme).toEqual(terminalTheme(createTheme()));
  expect(next.options.theme).toEqual(terminalTheme(createTheme()));
});

test('seeking shows the screen at that moment, forward and back', () => {
  const terminal = renderPlayer();
  fireEvent.change(screen.getByLabelText('Seek'), { target: { value: '1.6' } });
  expect(terminal.text()).toBe('one two ');
  fireEvent.change(screen.getByLabelText('Seek'), { target: { value: '0.6' } });
  expect(terminal.text()).toBe('one ');
  expect(terminal.resets).toBe(1);
});

test('play runs the recording to its end and pause stops it', () => {
  jest.useFakeTimers();
  try {
    const terminal = renderPlayer();
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    act(() => {
      jest.advanceTimersByTime(1000);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    const paused = terminal.text();
    expect(paused.startsWith('one')).toBe(true);
    act(() => {
      jest.advanceTimersByTime(3000);
    });
    expect(terminal.text()).toBe(paused);
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    act(() => {
      jest.advanceTimersByTime(5000);
    });
    expect(terminal.text()).toBe('one two three');
    expect(screen.getByRole('button', { name: 'Play' })).toBeInTheDocument();
  } finally {
    jest.useRealTimers();
  }
});
