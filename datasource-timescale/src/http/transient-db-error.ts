// Database failures that can clear by themselves, which the adapter answers with 503 and
// Retry-After instead of 500.

/** True for database failures that can clear by themselves: worth a 503 and a retry. */
export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  if (/^(08|53|57P|58)/.test(code) || code === '40001' || code === '40P01' || code === '55P03') return true;
  if (/^E(CONNREFUSED|CONNRESET|PIPE|NOENT|TIMEDOUT|HOSTUNREACH)$/.test(code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connection (is )?closed|not queryable|Client has encountered a connection error/i.test(
    e.message ?? '',
  );
}
