// The path a request asks for, read from its target as Go's net/http reads it (node_exporter
// serves the same request the same way): origin-form `/metrics?x` or absolute-form
// `http://host:port/metrics`, which HTTP/1.1 servers must accept (RFC 9112 §3.2.2), percent-decoded.

/** The decoded path, or undefined for a target that names no path or is malformed (400). */
export function requestPath(target: string): string | undefined {
  let raw: string;
  if (target.startsWith('/')) {
    raw = target;
  } else {
    // Absolute-form; anything else (`*`, authority-form) names no path.
    const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*(\/[^?]*)?/.exec(target);
    if (!match) return undefined;
    raw = match[1] ?? '/';
  }
  const query = raw.indexOf('?');
  try {
    return decodeURIComponent(query < 0 ? raw : raw.slice(0, query));
  } catch {
    return undefined; // a bad percent-encoding, as Go's "invalid URL escape"
  }
}
