export interface TerminalPanelOptions {
  harvester: string;
  fontSize: number;
  viewOnly: boolean;
}

export const defaultTerminalOptions: TerminalPanelOptions = { harvester: '', fontSize: 14, viewOnly: false };
