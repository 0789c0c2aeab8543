import { describeClose } from './close-codes';

test.each([
  [1000, 'ended', 'Session ended', false],
  [1006, 'network', 'Connection lost', true],
  [4400, 'protocol', 'Protocol error', false],
  [4001, 'moved', 'Continued elsewhere', false],
  [4401, 'ticket', 'Session ticket refused', true],
  [4403, 'admin', 'Ended by an administrator', false],
  [4404, 'offline', 'Harvester offline', false],
  [4408, 'timeout', 'Timed out', false],
  [4409, 'revoked', 'Harvester revoked', false],
  [4410, 'lifetime', 'Session lifetime reached', false],
  [4429, 'limit', 'Session limit reached', false],
  [4500, 'agent', 'Agent error', false],
])('close code %i means %s', (code, kind, title, retry) => {
  expect(describeClose(code)).toMatchObject({ code, kind, title, retry });
});

test("nester's sentence wins over ours; an unknown code still says which code it was", () => {
  expect(describeClose(4408, 'no traffic for 15m0s').detail).toBe('no traffic for 15m0s');
  expect(describeClose(4408, '  ').detail).toBe('The session was idle too long, or the agent did not answer.');
  expect(describeClose(4999)).toMatchObject({
    kind: 'unknown',
    detail: 'The connection closed (code 4999).',
    retry: false,
  });
});
