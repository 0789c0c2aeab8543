/**
 * Which terminal session a view had open, kept in the tab's sessionStorage so a reload can take
 * the same shell back (nester keeps it for its resume window). Taking an entry removes it, so two
 * views of the same harvester do not both claim one session; the view that gets it back writes it
 * again once connected.
 */
export interface ResumeStore {
  take(key: string): string | undefined;
  put(key: string, sessionId: string): void;
  drop(key: string): void;
}

const PREFIX = 'nester.resume.';

export function browserResumeStore(storage: () => Storage | undefined = () => globalThis.sessionStorage): ResumeStore {
  // Storage may be missing or refuse (private mode, sandboxed iframes): resume is then only in memory.
  const attempt = <T>(work: (s: Storage) => T): T | undefined => {
    try {
      const s = storage();
      return s ? work(s) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    take(key) {
      return attempt((s) => {
        const value = s.getItem(PREFIX + key) ?? undefined;
        s.removeItem(PREFIX + key);
        return value && /^s_[0-9a-f]{1,64}$/.test(value) ? value : undefined;
      });
    },
    put(key, sessionId) {
      attempt((s) => s.setItem(PREFIX + key, sessionId));
    },
    drop(key) {
      attempt((s) => s.removeItem(PREFIX + key));
    },
  };
}
