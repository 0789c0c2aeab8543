import '../../publicPath';

import { PanelPlugin } from '@grafana/data';

import { RemoteDesktopOptions, defaultRemoteDesktopOptions, scalingChoices } from '../../remote-desktop/options';
import { HarvesterPicker } from '../HarvesterPicker';
import { harvesterOptionDescription } from '../harvesterOption';
import { RemoteDesktopPanel } from './RemoteDesktopPanel';

export const plugin = new PanelPlugin<RemoteDesktopOptions>(RemoteDesktopPanel).setPanelOptions((builder) =>
  builder
    .addCustomEditor({
      id: 'harvester',
      path: 'harvester',
      name: 'Harvester',
      description: harvesterOptionDescription,
      defaultValue: defaultRemoteDesktopOptions.harvester,
      editor: HarvesterPicker,
    })
    .addBooleanSwitch({
      path: 'viewOnly',
      name: 'View only',
      description: 'Watch without sending keyboard or mouse input (nester enforces it too).',
      defaultValue: defaultRemoteDesktopOptions.viewOnly,
    })
    .addRadio({
      path: 'scaling',
      name: 'Scaling',
      settings: { options: scalingChoices },
      defaultValue: defaultRemoteDesktopOptions.scaling,
    })
    .addSliderInput({
      path: 'quality',
      name: 'Image quality',
      description: 'JPEG quality, 0 (smallest) to 9 (best).',
      category: ['Connection'],
      settings: { min: 0, max: 9, step: 1 },
      defaultValue: defaultRemoteDesktopOptions.quality,
    })
    .addSliderInput({
      path: 'compression',
      name: 'Compression',
      description: 'Compression level, 0 (fastest) to 9 (smallest).',
      category: ['Connection'],
      settings: { min: 0, max: 9, step: 1 },
      defaultValue: defaultRemoteDesktopOptions.compression,
    })
    .addBooleanSwitch({
      path: 'showToolbar',
      name: 'Toolbar',
      description: 'Ctrl+Alt+Del, clipboard, full screen and reconnect.',
      defaultValue: defaultRemoteDesktopOptions.showToolbar,
    }),
);
