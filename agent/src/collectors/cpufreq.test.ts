import { cpufreq } from './cpufreq';
import { collect, collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

const CPUFREQ = {
  'devices/system/cpu/cpu0/cpufreq/scaling_cur_freq': '1200000\n',
  'devices/system/cpu/cpu0/cpufreq/scaling_available_governors': 'schedutil\n',
  'devices/system/cpu/cpu0/cpufreq/scaling_driver': 'acpi-cpufreq\n',
  'devices/system/cpu/cpu0/cpufreq/scaling_governor': 'schedutil\n',
  'devices/system/cpu/cpu0/cpufreq/related_cpus': '0\n',
};

describe('cpufreq collector', () => {
  itMatchesNodeExporter('cpufreq');

  it('fails, as procfs 0.8.0 does, when a required cpufreq file is missing', async () => {
    await expect(collect(cpufreq, tempPaths({}, CPUFREQ))).rejects.toThrow(/scaling_setspeed/);
  });

  it('converts kHz to Hz and skips frequencies the driver does not offer', async () => {
    const paths = tempPaths({}, { ...CPUFREQ, 'devices/system/cpu/cpu0/cpufreq/scaling_setspeed': '<unsupported>\n' });
    expect(await collectText(cpufreq, paths)).toBe(
      [
        '# HELP node_cpu_scaling_frequency_hertz Current scaled CPU thread frequency in hertz.',
        '# TYPE node_cpu_scaling_frequency_hertz gauge',
        'node_cpu_scaling_frequency_hertz{cpu="0"} 1.2e+09',
        '',
      ].join('\n'),
    );
  });
});
