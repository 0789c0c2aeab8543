import '../../publicPath';

import { PanelPlugin } from '@grafana/data';

import { HarvesterPicker } from '../HarvesterPicker';
import { harvesterOptionDescription } from '../harvesterOption';
import { TerminalPanelOptions, defaultTerminalOptions } from './options';
import { TerminalPanel } from './TerminalPanel';

export const plugin = new PanelPlugin<TerminalPanelOptions>(TerminalPanel).setPanelOptions((builder) =>
  builder
    .addCustomEditor({
      id: 'harvester',
      path: 'harvester',
      name: 'Harvester',
      description: harvesterOptionDescription,
      defaultValue: defaultTerminalOptions.harvester,
      editor: HarvesterPicker,
    })
    .addSliderInput({
      path: 'fontSize',
      name: 'Font size',
      settings: { min: 8, max: 32, step: 1 },
      defaultValue: defaultTerminalOptions.fontSize,
    })
    .addBooleanSwitch({
      path: 'viewOnly',
      name: 'Read only',
      description: 'Show the shell without sending keystrokes (nester enforces it too).',
      defaultValue: defaultTerminalOptions.viewOnly,
    }),
);
