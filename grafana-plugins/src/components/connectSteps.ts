import type { ConnectStep } from '../session/state';

export interface StepView {
  step: ConnectStep;
  label: string;
  progress: 'done' | 'current' | 'pending';
}

const LABELS: Record<ConnectStep, string> = {
  harvester: 'Harvester',
  resume: 'Resume',
  ticket: 'Ticket',
  socket: 'Relay and agent',
  vnc: 'VNC handshake',
};

/**
 * The steps of connecting a view, each done, current or still ahead. A terminal resuming its
 * session takes "resume" where a new one takes "ticket"; only a desktop has the VNC handshake.
 */
export function connectSteps(kind: 'vnc' | 'terminal', current: ConnectStep): StepView[] {
  const steps: ConnectStep[] = ['harvester', current === 'resume' ? 'resume' : 'ticket', 'socket'];
  if (kind === 'vnc') {
    steps.push('vnc');
  }
  const at = steps.indexOf(current);
  return steps.map((step, index) => ({
    step,
    label: LABELS[step],
    progress: index < at ? 'done' : index === at ? 'current' : 'pending',
  }));
}
