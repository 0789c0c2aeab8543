// Batteries and chargers under /sys/class/power_supply, one gauge per numeric attribute
// plus an info metric carrying the text attributes the supply has.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gauge, type MetricFamily, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { isNotFound, parseGoInt, readText } from '../procfs/read';
import { defineCollector, NoDataError } from './collector';
import { compilePattern } from './pattern';

/** sysfs attribute → metric suffix and divisor (µA, µV, µW, µWh → base units; 0.1 °C → °C). */
const NUMERIC: [file: string, metric: string, divisor: number][] = [
  ['authentic', 'authentic', 1],
  ['calibrate', 'calibrate', 1],
  ['capacity', 'capacity', 1],
  ['capacity_alert_max', 'capacity_alert_max', 1],
  ['capacity_alert_min', 'capacity_alert_min', 1],
  ['cycle_count', 'cyclecount', 1],
  ['online', 'online', 1],
  ['present', 'present', 1],
  ['time_to_empty_now', 'time_to_empty_seconds', 1],
  ['time_to_full_now', 'time_to_full_seconds', 1],
  ['current_boot', 'current_boot', 1e6],
  ['current_max', 'current_max', 1e6],
  ['current_now', 'current_ampere', 1e6],
  ['energy_empty', 'energy_empty', 1e6],
  ['energy_empty_design', 'energy_empty_design', 1e6],
  ['energy_full', 'energy_full', 1e6],
  ['energy_full_design', 'energy_full_design', 1e6],
  ['energy_now', 'energy_watthour', 1e6],
  ['voltage_boot', 'voltage_boot', 1e6],
  ['voltage_max', 'voltage_max', 1e6],
  ['voltage_max_design', 'voltage_max_design', 1e6],
  ['voltage_min', 'voltage_min', 1e6],
  ['voltage_min_design', 'voltage_min_design', 1e6],
  ['voltage_now', 'voltage_volt', 1e6],
  ['voltage_ocv', 'voltage_ocv', 1e6],
  ['charge_control_limit', 'charge_control_limit', 1e6],
  ['charge_control_limit_max', 'charge_control_limit_max', 1e6],
  ['charge_counter', 'charge_counter', 1e6],
  ['charge_empty', 'charge_empty', 1e6],
  ['charge_empty_design', 'charge_empty_design', 1e6],
  ['charge_full', 'charge_full', 1e6],
  ['charge_full_design', 'charge_full_design', 1e6],
  ['charge_now', 'charge_ampere', 1e6],
  ['charge_term_current', 'charge_term_current', 1e6],
  ['constant_charge_current', 'constant_charge_current', 1e6],
  ['constant_charge_current_max', 'constant_charge_current_max', 1e6],
  ['constant_charge_voltage', 'constant_charge_voltage', 1e6],
  ['constant_charge_voltage_max', 'constant_charge_voltage_max', 1e6],
  ['precharge_current', 'precharge_current', 1e6],
  ['input_current_limit', 'input_current_limit', 1e6],
  ['power_now', 'power_watt', 1e6],
  ['temp', 'temp_celsius', 10],
  ['temp_alert_max', 'temp_alert_max_celsius', 10],
  ['temp_alert_min', 'temp_alert_min_celsius', 10],
  ['temp_ambient', 'temp_ambient_celsius', 10],
  ['temp_ambient_max', 'temp_ambient_max_celsius', 10],
  ['temp_ambient_min', 'temp_ambient_min_celsius', 10],
  ['temp_max', 'temp_max_celsius', 10],
  ['temp_min', 'temp_min_celsius', 10],
];

const TEXT: [file: string, label: string][] = [
  ['capacity_level', 'capacity_level'],
  ['charge_type', 'charge_type'],
  ['health', 'health'],
  ['manufacturer', 'manufacturer'],
  ['model_name', 'model_name'],
  ['scope', 'scope'],
  ['serial_number', 'serial_number'],
  ['status', 'status'],
  ['technology', 'technology'],
  ['type', 'type'],
  ['usb_type', 'usb_type'],
];

/** Numeric attributes procfs parses (some are not exported); a malformed one fails the scrape. */
const PARSED = new Set([
  ...NUMERIC.map(([file]) => file),
  'charge_avg',
  'current_avg',
  'time_to_empty_avg',
  'time_to_full_avg',
  'energy_avg',
  'power_avg',
  'voltage_avg',
]);

/** Attribute values of one supply; files a driver refuses to read are left out. */
function readSupply(dir: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(dir, entry.name);
    let text: string;
    try {
      text = readText(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (isNotFound(err) || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EINVAL') continue;
      throw new Error(`failed to read file "${path}": ${(err as Error).message}`, { cause: err });
    }
    const value = (text.length > 128 ? text.slice(0, 128) : text).trim();
    if (PARSED.has(entry.name) && parseGoInt(value) === undefined) {
      throw new Error(`strconv.ParseInt: parsing "${value}" in ${path}: invalid syntax`);
    }
    values.set(entry.name, value);
  }
  return values;
}

export const powersupplyclass = defineCollector({
  name: 'powersupplyclass',
  defaultEnabled: true,
  flags: {
    'collector.powersupply.ignored-supplies': {
      type: 'string',
      help: 'Regexp of power supplies to ignore for powersupplyclass collector.',
      default: '^$',
    },
  },
  create: ({ paths, flags }) => {
    const ignored = compilePattern(
      'collector.powersupply.ignored-supplies',
      flags['collector.powersupply.ignored-supplies'],
    );
    return () => {
      const root = sys(paths, 'class/power_supply');
      let supplies: string[];
      try {
        supplies = readdirSync(root);
      } catch (err) {
        if (isNotFound(err)) throw new NoDataError(`could not get power_supply class info: ${(err as Error).message}`);
        throw err;
      }
      const numeric = NUMERIC.map((): Sample[] => []);
      const info: Sample[] = [];
      // Every supply is read before the filter applies, as in node_exporter.
      const all = supplies.map((name) => ({ name, values: readSupply(join(root, name)) }));
      for (const { name, values } of all) {
        if (ignored.test(name)) continue;
        NUMERIC.forEach(([file, , divisor], i) => {
          const text = values.get(file);
          const value = text === undefined ? undefined : parseGoInt(text);
          if (value !== undefined) numeric[i].push({ labels: { power_supply: name }, value: value / divisor });
        });
        const labels: Record<string, string> = { power_supply: name };
        for (const [file, label] of TEXT) {
          const text = values.get(file);
          if (text) labels[label] = text;
        }
        info.push({ labels, value: 1 });
      }
      const families: MetricFamily[] = NUMERIC.map(([, metric], i) =>
        gauge(`node_power_supply_${metric}`, `${metric} value of /sys/class/power_supply/<power_supply>.`, numeric[i]),
      );
      families.push(gauge('node_power_supply_info', 'info of /sys/class/power_supply/<power_supply>.', info));
      return families;
    };
  },
});
