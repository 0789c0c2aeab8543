// Hardware sensors under /sys/class/hwmon: one metric per sensor type and property, named
// and scaled as node_exporter 1.5.0 names them (millidegrees to °C, millivolts to volts…).

import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { counter, gauge, type MetricFamily } from '../metrics/family';
import { sys } from '../procfs/paths';
import { isNotFound, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError, PartialError } from './collector';

const SENSOR_TYPES = new Set([
  'vrm',
  'beep_enable',
  'update_interval',
  'in',
  'cpu',
  'fan',
  'pwm',
  'temp',
  'curr',
  'power',
  'energy',
  'humidity',
  'intrusion',
]);

const FILENAME = /^([^0-9]+)([0-9]*)?(_(.+))?$/;

interface SensorFile {
  type: string;
  num: number;
  property: string;
}

/** `temp1_crit_alarm` → temp, 1, crit_alarm. */
export function explodeSensorFilename(name: string): SensorFile | undefined {
  const match = FILENAME.exec(name);
  if (!match) return undefined;
  return { type: match[1], num: match[2] ? Number(match[2]) : 0, property: match[4] ?? '' };
}

const INVALID = /[^a-z0-9:_]/g;

export function cleanName(name: string): string {
  return name
    .toLowerCase()
    .replace(INVALID, '_')
    .replace(/^_+|_+$/g, '');
}

type SensorData = Map<string, Map<string, string>>;

function readRaw(path: string): string | undefined {
  try {
    const text = readText(path);
    return text.length > 128 ? text.slice(0, 128) : text;
  } catch {
    return undefined;
  }
}

function collectSensorData(dir: string, data: SensorData): void {
  for (const name of readdirSync(dir)) {
    const file = explodeSensorFilename(name);
    if (!file || !SENSOR_TYPES.has(file.type)) continue;
    const raw = readRaw(join(dir, name));
    if (raw === undefined) continue;
    const sensor = `${file.type}${file.num}`;
    let props = data.get(sensor);
    if (!props) data.set(sensor, (props = new Map<string, string>()));
    props.set(file.property, raw.replace(/^\n+|\n+$/g, ''));
  }
}

/** A stable chip name: bus and device of the `device` link, else the name file, else hwmonN. */
export function chipName(dir: string): string {
  try {
    const device = realpathSync(join(dir, 'device'));
    const devName = cleanName(basename(device));
    const devType = cleanName(basename(dirname(device)));
    if (devType !== '' && devName !== '') return `${devType}_${devName}`;
    if (devName !== '') return devName;
  } catch {
    // No device link: try the next source.
  }
  const name = cleanName(readRaw(join(dir, 'name')) ?? '');
  if (name !== '') return name;
  const own = cleanName(basename(realpathSync(dir)));
  if (own !== '') return own;
  throw new Error(`Could not derive a monitoring name for ${dir}`);
}

/** Collects families keyed by name, the help text set by the first sample of each. */
class Families {
  readonly byName = new Map<string, MetricFamily>();

  add(name: string, help: string, labels: Record<string, string>, value: number, isCounter = false): void {
    let family = this.byName.get(name);
    if (!family) this.byName.set(name, (family = (isCounter ? counter : gauge)(name, help, [])));
    family.samples.push({ labels, value });
  }
}

const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const parse = (text: string): number | undefined => (FLOAT.test(text) ? Number(text) : undefined);

function updateChip(dir: string, out: Families): void {
  const chip = chipName(dir);
  const data: SensorData = new Map();
  collectSensorData(dir, data);
  let hasDevice = false;
  try {
    statSync(join(dir, 'device'));
    hasDevice = true;
  } catch {
    // Sensors live in the hwmon directory only.
  }
  if (hasDevice) collectSensorData(join(dir, 'device'), data);

  const humanName = cleanName(readRaw(join(dir, 'name')) ?? '');
  if (humanName !== '') {
    out.add(
      'node_hwmon_chip_names',
      'Annotation metric for human-readable chip names',
      { chip, chip_name: humanName },
      1,
    );
  }

  for (const [sensor, props] of data) {
    const type = explodeSensorFilename(sensor)?.type ?? '';
    const labels = { chip, sensor };
    const label = props.get('label');
    if (label !== undefined) {
      out.add('node_hwmon_sensor_label', 'Label for given chip and sensor', { chip, sensor, label }, 1);
    }
    if (type === 'beep_enable') {
      out.add('node_hwmon_beep_enabled', 'Hardware beep enabled', labels, props.get('') === '1' ? 1 : 0);
      continue;
    }
    if (type === 'vrm' || type === 'update_interval') {
      const value = parse(props.get('') ?? '');
      if (value === undefined) continue;
      if (type === 'vrm') out.add('node_hwmon_voltage_regulator_version', 'Hardware voltage regulator', labels, value);
      else out.add('node_hwmon_update_interval_seconds', 'Hardware monitor update interval', labels, value * 0.001);
      continue;
    }
    const prefix = `node_hwmon_${type}`;
    for (const [property, text] of props) {
      if (property === 'label') continue;
      let element = property;
      let name = prefix;
      if (element === 'input') {
        // input is the value itself, unless the bare file also exists.
        if (props.has('')) name += '_input';
      } else if (element !== '') {
        name += `_${cleanName(element)}`;
      }
      const value = parse(text);
      if (value === undefined) continue;
      if (element === 'fault' || element === 'alarm') {
        out.add(name, `Hardware sensor ${element} status (${type})`, labels, value);
      } else if (element === 'beep') {
        out.add(`${name}_enabled`, 'Hardware monitor sensor has beeping enabled', labels, value);
      } else if (type === 'in' || type === 'cpu') {
        out.add(`${name}_volts`, `Hardware monitor for voltage (${element})`, labels, value * 0.001);
      } else if (type === 'temp' && element !== 'type') {
        if (element === '') element = 'input';
        out.add(`${name}_celsius`, `Hardware monitor for temperature (${element})`, labels, value * 0.001);
      } else if (type === 'curr') {
        out.add(`${name}_amps`, `Hardware monitor for current (${element})`, labels, value * 0.001);
      } else if (type === 'energy') {
        out.add(
          `${name}_joule_total`,
          `Hardware monitor for joules used so far (${element})`,
          labels,
          value / 1000000,
          true,
        );
      } else if (type === 'power' && element === 'accuracy') {
        out.add(name, 'Hardware monitor power meter accuracy, as a ratio', labels, value / 1000000);
      } else if (
        type === 'power' &&
        ['average_interval', 'average_interval_min', 'average_interval_max'].includes(element)
      ) {
        out.add(`${name}_seconds`, `Hardware monitor power usage update interval (${element})`, labels, value * 0.001);
      } else if (type === 'power') {
        out.add(`${name}_watt`, `Hardware monitor for power usage in watts (${element})`, labels, value / 1000000);
      } else if (type === 'humidity') {
        out.add(
          name,
          `Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (${element})`,
          labels,
          value / 1000000,
        );
      } else if (type === 'fan' && ['input', 'min', 'max', 'target'].includes(element)) {
        out.add(`${name}_rpm`, `Hardware monitor for fan revolutions per minute (${element})`, labels, value);
      } else {
        out.add(name, `Hardware monitor ${type} element ${element}`, labels, value);
      }
    }
  }
}

export const hwmon: CollectorDefinition = {
  name: 'hwmon',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const root = sys(paths, 'class/hwmon');
      let entries: string[];
      try {
        entries = readdirSync(root);
      } catch (err) {
        if (isNotFound(err)) throw new NoDataError('hwmon collector metrics are not available for this system');
        throw err;
      }
      const out = new Families();
      let lastError: Error | undefined;
      for (const entry of entries) {
        const dir = join(root, entry);
        try {
          const stat = lstatSync(dir).isSymbolicLink() ? statSync(dir) : lstatSync(dir);
          if (!stat.isDirectory()) continue;
        } catch {
          continue;
        }
        // A broken chip costs its own sensors; the others are still reported.
        try {
          updateChip(dir, out);
        } catch (err) {
          lastError = err as Error;
        }
      }
      const families = [...out.byName.values()];
      if (lastError) throw new PartialError(lastError.message, families);
      return families;
    },
};
