import { PluginPage } from '@grafana/runtime';
import { Badge, Button, Drawer, Input, RadioButtonGroup, Select, Stack, useStyles2 } from '@grafana/ui';
import { useCallback, useMemo, useState } from 'react';
import type { SessionRecord } from '@nester/contracts/nester/api';

import { useApp } from '../../app/context';
import { setQuery } from '../../app/route';
import { ErrorState } from '../../components/ErrorState';
import { getTableStyles } from '../../components/tableStyles';
import { absoluteTime, formatBytes, formatDuration, relativeTime } from '../../components/time';
import { useAsync } from '../../components/useAsync';
import { periods, sessionFiltersFromQuery } from './filters';
import { LiveSessions } from './LiveSessions';
import { DesktopRecordingReplay, RecordingReplay } from './RecordingReplay';

const kinds = [
  { label: 'All', value: '' },
  { label: 'Desktop', value: 'vnc' },
  { label: 'Terminal', value: 'terminal' },
];

function duration(session: SessionRecord): string {
  if (session.refused) {
    return '–';
  }
  if (!session.endedAt) {
    return 'live';
  }
  return formatDuration(Date.parse(session.endedAt) - Date.parse(session.startedAt));
}

export function SessionsPage({ query }: { query: URLSearchParams }) {
  const styles = useStyles2(getTableStyles);
  const { client, can } = useApp();
  const filtersKey = query.toString();
  const filters = useMemo(() => sessionFiltersFromQuery(new URLSearchParams(filtersKey)), [filtersKey]);
  const sessions = useAsync(
    useCallback((signal: AbortSignal) => client.listSessions(filters, signal), [client, filters]),
    30_000,
  );
  const [userDraft, setUserDraft] = useState(query.get('user') ?? '');
  const [replaying, setReplaying] = useState<SessionRecord | undefined>(undefined);

  return (
    <PluginPage subTitle="Every remote desktop and terminal session, who opened it and how it ended">
      <Stack direction="column" gap={2}>
        {can('Editor') && <LiveSessions />}
        <h3>History</h3>
        <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
          <form
            onSubmit={(event) => {
              event.preventDefault();
              setQuery({ user: userDraft.trim() });
            }}
          >
            <Input
              width={24}
              prefix="User"
              aria-label="User"
              placeholder="any"
              value={userDraft}
              onChange={(event) => setUserDraft(event.currentTarget.value)}
              onBlur={() => setQuery({ user: userDraft.trim() })}
            />
          </form>
          <RadioButtonGroup options={kinds} value={query.get('kind') ?? ''} onChange={(kind) => setQuery({ kind })} />
          <Select
            aria-label="Period"
            width={20}
            options={periods.map(({ label, value }) => ({ label, value }))}
            value={query.get('period') ?? '7d'}
            onChange={(choice) => setQuery({ period: choice.value })}
          />
          {query.get('harvesterId') && (
            <Button size="sm" variant="secondary" icon="times" onClick={() => setQuery({ harvesterId: undefined })}>
              Harvester {query.get('harvesterId')}
            </Button>
          )}
        </Stack>
        {sessions.error !== undefined && <ErrorState error={sessions.error} onRetry={sessions.reload} />}
        {sessions.value && sessions.value.length === 0 && <p className={styles.muted}>No session matches.</p>}
        {sessions.value && sessions.value.length > 0 && (
          <table className={styles.table} data-testid="sessions-table">
            <thead>
              <tr>
                <th>Started</th>
                <th>Harvester</th>
                <th>Kind</th>
                <th>User</th>
                <th>Duration</th>
                <th>Traffic (in / out)</th>
                <th>End</th>
                <th aria-label="Recording" />
              </tr>
            </thead>
            <tbody>
              {sessions.value.map((session) => (
                <tr
                  key={session.id}
                  data-testid="session-row"
                  data-kind={session.kind}
                  data-session={session.id}
                  data-refused={Boolean(session.refused)}
                >
                  <td className={styles.nowrap} title={absoluteTime(session.startedAt)}>
                    {relativeTime(session.startedAt)}
                  </td>
                  <td title={[session.remoteAddress, session.origin].filter(Boolean).join(' · ')}>
                    {session.hostname ?? session.harvesterId ?? 'unknown'}
                  </td>
                  <td>
                    {session.kind === 'vnc' ? 'Desktop' : session.kind === 'terminal' ? 'Terminal' : 'unknown'}
                    {session.viewOnly && <Badge color="blue" text="view only" style={{ marginLeft: 8 }} />}
                  </td>
                  <td data-testid="session-user">{session.user || 'unknown'}</td>
                  <td>{duration(session)}</td>
                  <td className={styles.nowrap}>
                    {formatBytes(session.bytesFromBrowser)} / {formatBytes(session.bytesToBrowser)}
                  </td>
                  <td title={session.endCode ? `close code ${session.endCode}` : undefined} data-testid="session-end">
                    {session.refused && <Badge color="red" text="refused" style={{ marginRight: 8 }} />}
                    {session.endReason ?? (session.endedAt ? '' : 'in progress')}
                    {session.endedBy && <div className={styles.muted}>by {session.endedBy}</div>}
                  </td>
                  <td>
                    {session.recording && can('Admin') && (
                      <Button size="sm" variant="secondary" icon="play" onClick={() => setReplaying(session)}>
                        Replay
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Stack>
      {replaying && (
        <Drawer
          title={`${replaying.kind === 'vnc' ? 'Desktop' : 'Terminal'} on ${replaying.hostname ?? replaying.harvesterId}`}
          subtitle={`${replaying.user || 'unknown user'} · ${absoluteTime(replaying.startedAt)}`}
          size="lg"
          onClose={() => setReplaying(undefined)}
        >
          {replaying.kind === 'vnc' ? (
            <DesktopRecordingReplay sessionId={replaying.id} hostname={replaying.hostname ?? replaying.harvesterId} />
          ) : (
            <RecordingReplay sessionId={replaying.id} hostname={replaying.hostname ?? replaying.harvesterId} />
          )}
        </Drawer>
      )}
    </PluginPage>
  );
}
