import { TicketBook } from './tickets';

test('a ticket works once, within its lifetime, and only with its own secret', () => {
  const book = new TicketBook<string>(30_000);
  const now = 1_000_000;
  const { ticket } = book.issue('s_1', 'h_1', now);
  const forged = `s_1.${'A'.repeat(43)}`;
  expect(book.redeem(forged, now)).toEqual({ ok: false, reason: 'wrong', sessionId: 's_1', about: 'h_1' });
  expect(book.redeem(ticket, now + 1000)).toEqual({ ok: true, sessionId: 's_1', about: 'h_1' });
  expect(book.redeem(ticket, now + 2000)).toEqual({ ok: false, reason: 'reused', sessionId: 's_1', about: 'h_1' });
});

test('expired, unknown and malformed tickets are told apart', () => {
  const book = new TicketBook<string>(30_000);
  const { ticket } = book.issue('s_2', 'h_2', 0);
  expect(book.redeem(ticket, 30_000)).toEqual({ ok: false, reason: 'expired', sessionId: 's_2', about: 'h_2' });
  expect(book.redeem(`s_9.${'b'.repeat(43)}`, 0)).toEqual({ ok: false, reason: 'unknown' });
  expect(book.redeem('no-dot', 0)).toEqual({ ok: false, reason: 'malformed' });
  expect(book.redeem(42, 0)).toEqual({ ok: false, reason: 'malformed' });
});

test('sweep reports each unused expired ticket once and forgets old ones', () => {
  const book = new TicketBook<string>(1000);
  book.issue('s_a', 'h', 0);
  const used = book.issue('s_b', 'h', 0);
  book.redeem(used.ticket, 10);
  expect(book.sweep(500)).toEqual([]);
  expect(book.sweep(1000)).toEqual(['s_a']);
  expect(book.sweep(2000)).toEqual([]);
  book.sweep(1000 + 5 * 60_000);
  expect(book.size).toBe(0);
});
