// Request bodies and queries as they arrive: the contract's field names, every value unknown
// until the handler has checked it. Reading a field the contract does not name is a type error,
// so a renamed field breaks nester's build as it breaks the fleet app's.

export type Unchecked<T> = { [K in keyof T]?: unknown };

/** A query parameter the contract names, as sent (undefined when absent). */
export function queryParam<T>(query: URLSearchParams, name: keyof T & string): string | undefined {
  return query.get(name) ?? undefined;
}
