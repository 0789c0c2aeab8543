import { selinuxFamilies } from './selinux';
import { tempTree } from '../../test/support/collectors';

describe('selinux collector', () => {
  it('reports SELinux disabled without selinuxfs', () => {
    const dir = tempTree({ current: 'unconfined\n' });
    const families = selinuxFamilies({ enforce: `${dir}/none`, currentLabel: `${dir}/current`, config: `${dir}/none` });
    expect(families.map((family) => [family.name, family.samples[0].value])).toEqual([['node_selinux_enabled', 0]]);
  });

  it('reports the configured and current modes when enabled', () => {
    const dir = tempTree({
      enforce: '0\n',
      current: 'system_u:system_r:unconfined_t:s0\0',
      config: '# comment\nSELINUX=enforcing\nSELINUXTYPE=targeted\n',
    });
    const families = selinuxFamilies({
      enforce: `${dir}/enforce`,
      currentLabel: `${dir}/current`,
      config: `${dir}/config`,
    });
    expect(families.map((family) => [family.name, family.samples[0].value])).toEqual([
      ['node_selinux_enabled', 1],
      ['node_selinux_config_mode', 1],
      ['node_selinux_current_mode', 0],
    ]);
  });

  it('treats the kernel label as disabled', () => {
    const dir = tempTree({ enforce: '1\n', current: 'kernel\0' });
    const families = selinuxFamilies({
      enforce: `${dir}/enforce`,
      currentLabel: `${dir}/current`,
      config: `${dir}/none`,
    });
    expect(families[0].samples[0].value).toBe(0);
  });
});
