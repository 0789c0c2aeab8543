import { type MetricFamily, single, untyped } from '../metrics/family';
import { proc } from '../procfs/paths';
import { fields, lines, parseFloat64, readText } from '../procfs/read';
import { defineCollector } from './collector';
import { compilePattern } from './pattern';

export const vmstat = defineCollector({
  name: 'vmstat',
  defaultEnabled: true,
  flags: {
    'collector.vmstat.fields': {
      type: 'string',
      help: 'Regexp of fields to return for vmstat collector.',
      default: '^(oom_kill|pgpg|pswp|pg.*fault).*',
    },
  },
  create: ({ paths, flags }) => {
    const wanted = compilePattern('collector.vmstat.fields', flags['collector.vmstat.fields']);
    return () => {
      const path = proc(paths, 'vmstat');
      const families: MetricFamily[] = [];
      for (const line of lines(readText(path))) {
        const [name, text] = fields(line);
        if (text === undefined) throw new Error(`malformed line in ${path}: "${line}"`);
        // Every value is parsed, wanted or not, so a malformed file fails as in node_exporter.
        const value = parseFloat64(text, `${path} field ${name}`);
        if (!wanted.test(name)) continue;
        families.push(untyped(`node_vmstat_${name}`, `/proc/vmstat information field ${name}.`, single(value)));
      }
      return families;
    };
  },
});
