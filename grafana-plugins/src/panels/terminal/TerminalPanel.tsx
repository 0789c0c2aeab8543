import { PanelProps } from '@grafana/data';

import { TerminalView } from '../../terminal/TerminalView';
import { harvesterFromOption } from '../harvesterOption';
import { TerminalPanelOptions, defaultTerminalOptions } from './options';

export function TerminalPanel({ options, replaceVariables, width, height }: PanelProps<TerminalPanelOptions>) {
  const merged = { ...defaultTerminalOptions, ...options };
  return (
    <div style={{ width, height }}>
      <TerminalView
        harvester={harvesterFromOption(merged.harvester, replaceVariables)}
        fontSize={merged.fontSize}
        viewOnly={merged.viewOnly}
      />
    </div>
  );
}
