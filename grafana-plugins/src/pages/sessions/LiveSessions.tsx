import { Badge, Button, Drawer, Field, Input, Modal, Stack, useStyles2 } from '@grafana/ui';
import { useCallback, useState } from 'react';
import type { LiveSession } from '@nester/contracts/nester/api';

import { useApp } from '../../app/context';
import { ErrorState } from '../../components/ErrorState';
import { getTableStyles } from '../../components/tableStyles';
import { absoluteTime, formatBytes, relativeTime } from '../../components/time';
import { useAsync } from '../../components/useAsync';
import { RemoteDesktop } from '../../remote-desktop/RemoteDesktop';
import { defaultRemoteDesktopOptions } from '../../remote-desktop/options';
import { TerminalView } from '../../terminal/TerminalView';

const REFRESH_MS = 3000;

/** The session being joined from the list, and how. */
interface Joining {
  session: LiveSession;
  /** Joined with control (a terminal whose owner allows it); otherwise view only. */
  control: boolean;
}

const stateText: Record<LiveSession['state'], string> = {
  connecting: 'connecting',
  live: 'live',
  detached: 'away',
};

/** Who is connected where right now, with live byte counts; an Admin can join a terminal (view only, or
 * with control while its owner allows it) or end a session. */
export function LiveSessions() {
  const styles = useStyles2(getTableStyles);
  const { client, can, login } = useApp();
  const live = useAsync(
    useCallback((signal: AbortSignal) => client.listLiveSessions(undefined, signal), [client]),
    REFRESH_MS,
  );
  const [ending, setEnding] = useState<LiveSession | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [endError, setEndError] = useState<string | undefined>(undefined);
  const [joining, setJoining] = useState<Joining | undefined>(undefined);

  const end = async () => {
    if (!ending) {
      return;
    }
    try {
      await client.endSession(ending.id, reason.trim());
      setEnding(undefined);
      setReason('');
      setEndError(undefined);
      live.reload();
    } catch (err) {
      setEndError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section aria-label="Live sessions" data-testid="live-sessions">
      <h3>Live now</h3>
      {live.error !== undefined && <ErrorState error={live.error} onRetry={live.reload} />}
      {live.value && live.value.length === 0 && <p className={styles.muted}>Nobody is connected right now.</p>}
      {live.value && live.value.length > 0 && (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>Harvester</th>
              <th>Kind</th>
              <th>User</th>
              <th>State</th>
              <th>Since</th>
              <th>Traffic (in / out)</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {live.value.map((session) => (
              <tr key={session.id} data-testid="live-session-row" data-session={session.id} data-user={session.user}>
                <td>{session.hostname || session.harvesterId}</td>
                <td>
                  {session.kind === 'vnc' ? 'Desktop' : 'Terminal'}
                  {session.viewOnly && <Badge color="blue" text="view only" style={{ marginLeft: 8 }} />}
                </td>
                <td data-testid="live-session-user">
                  {session.user || 'unknown'}
                  {session.joiners.length > 0 && (
                    <div className={styles.muted} data-testid="live-session-joiners">
                      watched by {session.joiners.map((j) => j.user || 'unknown').join(', ')}
                    </div>
                  )}
                </td>
                <td title={session.detachedBecause ?? undefined}>
                  {stateText[session.state]}
                  {session.detachedBecause && <div className={styles.muted}>{session.detachedBecause}</div>}
                </td>
                <td className={styles.nowrap} title={absoluteTime(session.startedAt)}>
                  {relativeTime(session.connectedAt ?? session.startedAt)}
                </td>
                <td className={styles.nowrap} data-testid="live-session-bytes">
                  {formatBytes(session.bytesFromBrowser)} / {formatBytes(session.bytesToBrowser)}
                </td>
                <td>
                  <Stack direction="row" gap={1}>
                    {/* The role that opens the kind may join it: Admin for terminals, Editor for desktops. */}
                    {can(session.kind === 'vnc' ? 'Editor' : 'Admin') &&
                      session.state !== 'connecting' &&
                      session.user !== login && (
                        <>
                          <Button
                            size="sm"
                            variant="secondary"
                            icon="eye"
                            tooltip={`Watch this ${session.kind === 'vnc' ? 'desktop' : 'terminal'} (view only); joining is audited`}
                            onClick={() => setJoining({ session, control: false })}
                          >
                            Join (view-only)
                          </Button>
                          {/* Only while the owner's lock lets joiners type (nester refuses control otherwise). */}
                          {session.kind === 'terminal' && session.controlAllowed && (
                            <Button
                              size="sm"
                              variant="secondary"
                              icon="unlock"
                              tooltip="Join and type in this shell while its owner allows it; joining is audited"
                              onClick={() => setJoining({ session, control: true })}
                            >
                              Join with control
                            </Button>
                          )}
                        </>
                      )}
                    {can('Admin') && (
                      <Button size="sm" variant="destructive" icon="times" onClick={() => setEnding(session)}>
                        End
                      </Button>
                    )}
                  </Stack>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {joining && (
        <Drawer
          title={`${joining.session.user || 'unknown user'}'s ${joining.session.kind === 'vnc' ? 'desktop' : 'terminal'} on ${joining.session.hostname || joining.session.harvesterId}`}
          subtitle={
            joining.control
              ? 'With control: you can type while they allow it; they see that you joined'
              : 'View only: you see what they see; they see that you joined'
          }
          size="lg"
          onClose={() => setJoining(undefined)}
        >
          <div style={{ height: '70vh' }} data-testid="join-view" data-control={joining.control ? 'true' : 'false'}>
            {joining.session.kind === 'vnc' ? (
              <RemoteDesktop
                {...defaultRemoteDesktopOptions}
                harvester={joining.session.harvesterId}
                viewOnly
                join={joining.session.id}
              />
            ) : (
              <TerminalView
                harvester={joining.session.harvesterId}
                fontSize={14}
                join={joining.session.id}
                joinWithControl={joining.control}
              />
            )}
          </div>
        </Drawer>
      )}
      <Modal
        title={ending ? `End ${ending.user || 'unknown user'}'s session on ${ending.hostname}?` : 'End session'}
        isOpen={ending !== undefined}
        onDismiss={() => setEnding(undefined)}
      >
        <Stack direction="column" gap={1}>
          <p>They will see that you ended it, and why. The audit keeps both.</p>
          <Field
            label="Reason"
            description="Shown to the user (up to 200 characters)"
            error={endError}
            invalid={!!endError}
          >
            <Input
              aria-label="Reason"
              maxLength={200}
              placeholder="e.g. maintenance window"
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
          </Field>
          <Modal.ButtonRow>
            <Button variant="secondary" onClick={() => setEnding(undefined)}>
              Cancel
            </Button>
            <Button variant="destructive" onClick={() => void end()}>
              End session
            </Button>
          </Modal.ButtonRow>
        </Stack>
      </Modal>
    </section>
  );
}
