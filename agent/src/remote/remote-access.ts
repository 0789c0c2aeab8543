// Remote access as `harvester` runs it: the control channel plus the two session kinds.
// Started next to the metrics server when the agent is enrolled (or waits for enrolment).

import type { Logger } from '@nester/common/log/logger';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import type { OpenSessionMessage } from '@nester/contracts/remote/protocol';
import type { IdentitySource } from '../identity/machine-identity';
import { ControlChannel } from './control-channel';
import { gatherFacts } from './facts';
import { dialSession } from './session-socket';
import type { RemoteAccessConfig } from './config';
import type { Enrolment } from './state';
import { runTerminal, shellCommand } from './terminal-session';
import type { TlsTrust } from './tls';
import { connectVnc, pipeVnc } from './vnc-session';

export function startRemoteAccess(config: RemoteAccessConfig, log: Logger, identity: IdentitySource): ControlChannel {
  const channelLog = log.child({ component: 'remote' });
  const channel: ControlChannel = new ControlChannel({
    stateDir: config.stateDir,
    trust: config.trust,
    log: channelLog,
    onLabels: (labels) => {
      try {
        identity.storeLabels(labels);
        channelLog.info({ labels }, 'labels set in the fleet app; pushed series carry them from now on');
      } catch (err) {
        channelLog.error({ err: (err as Error).message }, 'cannot keep the labels nester sent');
      }
    },
    facts: () => gatherFacts({ vnc: config.vnc, terminalEnabled: config.terminal.enabled, labels: config.labels }),
    openSession: (open, enrolment, trust) => openSession(open, enrolment, trust, config, channel, channelLog),
  });
  channel.start();
  return channel;
}

function openSession(
  open: OpenSessionMessage,
  enrolment: Enrolment,
  trust: TlsTrust,
  config: RemoteAccessConfig,
  channel: ControlChannel,
  log: Logger,
) {
  const sessionLog = log.child({ session: open.sessionId, kind: open.kind });
  const refuse = (reason: string) => {
    sessionLog.warn({ reason }, 'refusing session');
    channel.refuse(open.sessionId, reason);
  };
  let closed = false;
  let socket: ReturnType<typeof dialSession> | undefined;
  const handle = {
    close(reason: string) {
      closed = true;
      socket?.close(CLOSE.normal, reason.slice(0, 120));
    },
  };
  if (open.kind === 'terminal') {
    if (!config.terminal.enabled)
      return void refuse('terminal sessions are disabled on this harvester (start it with --remote.terminal)');
    let command;
    try {
      command = shellCommand(config.terminal);
    } catch (err) {
      return void refuse((err as Error).message);
    }
    socket = dialSession(enrolment, trust, open.sessionId, open.token);
    socket.once('open', () => runTerminal(socket!, open, command, sessionLog));
    socket.on('error', (err) => sessionLog.warn({ err: err.message }, 'cannot open the session socket'));
    return handle;
  }
  if (open.kind !== 'vnc') return void refuse(`unknown session kind ${String(open.kind)}`);
  connectVnc(config.vnc).then(
    (vnc) => {
      if (closed) return void vnc.socket.destroy();
      socket = dialSession(enrolment, trust, open.sessionId, open.token);
      socket.once('open', () => pipeVnc(vnc, socket!, sessionLog));
      socket.on('error', (err) => {
        sessionLog.warn({ err: err.message }, 'cannot open the session socket');
        vnc.socket.destroy();
      });
    },
    (err: Error) => refuse(err.message),
  );
  return handle;
}
