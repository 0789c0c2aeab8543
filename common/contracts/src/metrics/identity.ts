// How a machine's series are tied to its inventory row: by the harvester id nester gave it at
// enrolment, never by hostname (hostnames repeat, change and differ from `instance`). The agent
// puts the id on every series it pushes; a site that scrapes agents with its own Prometheus joins
// on `instance` with the info metric the agent exposes. Dashboards, panels and the fleet app select
// by HARVESTER_ID_LABEL; label edits from the fleet app are checked here, the same way on both ends.

/** The label carrying the harvester id on pushed series (the agent's `--push.harvester-id-label`). */
export const HARVESTER_ID_LABEL = 'harvester_id';

/** `harvester_info{harvester_id, hostname, version} 1` on the agent's /metrics: join by `instance`. */
export const HARVESTER_INFO_METRIC = 'harvester_info';

/** Labels an operator cannot set on a machine: Prometheus' own and the identity label. */
export const RESERVED_LABEL_NAMES: readonly string[] = ['__name__', 'instance', 'job', HARVESTER_ID_LABEL];

export const LABEL_LIMITS = { maxLabels: 32, maxNameLength: 63, maxValueLength: 256 } as const;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** True for a Prometheus label name that is not reserved (names starting with __ are Prometheus'). */
export function isSettableLabelName(name: string): boolean {
  return (
    LABEL_NAME.test(name) &&
    name.length <= LABEL_LIMITS.maxNameLength &&
    !name.startsWith('__') &&
    !RESERVED_LABEL_NAMES.includes(name)
  );
}

export type LabelCheck = { ok: true; labels: Record<string, string> } | { ok: false; error: string };

/** Checks a machine's label set as an operator sends it; the error says what to change. */
export function checkLabels(raw: unknown): LabelCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: 'labels must be an object of name: value strings' };
  const entries = Object.entries(raw);
  if (entries.length > LABEL_LIMITS.maxLabels)
    return { ok: false, error: `at most ${LABEL_LIMITS.maxLabels} labels per machine` };
  const labels: Record<string, string> = {};
  for (const [name, value] of entries) {
    const shown = JSON.stringify(name.slice(0, 80));
    if (RESERVED_LABEL_NAMES.includes(name) || name.startsWith('__'))
      return { ok: false, error: `label ${shown} is reserved (${RESERVED_LABEL_NAMES.join(', ')}, __*)` };
    if (!isSettableLabelName(name))
      return {
        ok: false,
        error: `label name ${shown} must match [a-zA-Z_][a-zA-Z0-9_]* and be at most ${LABEL_LIMITS.maxNameLength} characters`,
      };
    if (typeof value !== 'string') return { ok: false, error: `label ${shown} must have a string value` };
    if (value.length > LABEL_LIMITS.maxValueLength)
      return { ok: false, error: `label ${shown} is longer than ${LABEL_LIMITS.maxValueLength} characters` };
    if (value === '') return { ok: false, error: `label ${shown} has an empty value; remove it instead` };
    if (!isWellFormed(value) || hasControlCharacter(value))
      return { ok: false, error: `label ${shown} has control characters or broken Unicode in its value` };
    labels[name] = value;
  }
  return { ok: true, labels };
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
