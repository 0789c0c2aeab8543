import { formatElapsed } from './SessionVitals';
import { connectSteps } from './connectSteps';

const shown = (steps: ReturnType<typeof connectSteps>) => steps.map((s) => `${s.label}:${s.progress}`);

test('a desktop connects in four steps, the VNC handshake last', () => {
  expect(shown(connectSteps('vnc', 'harvester'))).toEqual([
    'Harvester:current',
    'Ticket:pending',
    'Relay and agent:pending',
    'VNC handshake:pending',
  ]);
  expect(shown(connectSteps('vnc', 'vnc'))).toEqual([
    'Harvester:done',
    'Ticket:done',
    'Relay and agent:done',
    'VNC handshake:current',
  ]);
});

test('a terminal has no VNC step, and a resume takes the ticket’s place', () => {
  expect(shown(connectSteps('terminal', 'resume'))).toEqual([
    'Harvester:done',
    'Resume:current',
    'Relay and agent:pending',
  ]);
});

test('the session timer reads as a clock', () => {
  expect(formatElapsed(0)).toBe('0:00');
  expect(formatElapsed(7_900)).toBe('0:07');
  expect(formatElapsed(12 * 60_000 + 3000)).toBe('12:03');
  expect(formatElapsed(3_723_000)).toBe('1:02:03');
});
