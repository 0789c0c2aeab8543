import { PanelProps } from '@grafana/data';

import { RemoteDesktop } from '../../remote-desktop/RemoteDesktop';
import { RemoteDesktopOptions, defaultRemoteDesktopOptions } from '../../remote-desktop/options';
import { harvesterFromOption } from '../harvesterOption';

export function RemoteDesktopPanel({ options, replaceVariables, width, height }: PanelProps<RemoteDesktopOptions>) {
  const merged = { ...defaultRemoteDesktopOptions, ...options };
  const harvester = harvesterFromOption(merged.harvester, replaceVariables);
  return (
    <div style={{ width, height }}>
      <RemoteDesktop {...merged} harvester={harvester} />
    </div>
  );
}
