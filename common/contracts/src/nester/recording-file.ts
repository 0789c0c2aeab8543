// The file name of a recording, the same wherever it is saved from: nester's
// Content-Disposition on GET /api/v1/recordings/:sessionId and the fleet app's download link.

/**
 * `<host>-<session id>.cast` (`.rfbrec` for a desktop), with anything a file system could take badly (separators, control
 * characters, dots at the start) replaced.
 */
export function recordingFileName(
  hostname: string | null | undefined,
  sessionId: string,
  kind: 'terminal' | 'vnc' = 'terminal',
): string {
  const safe = (text: string) =>
    text
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80);
  const host = safe(hostname ?? '');
  const id = safe(sessionId) || 'recording';
  return `${host ? `${host}-` : ''}${id}${kind === 'vnc' ? '.rfbrec' : '.cast'}`;
}
