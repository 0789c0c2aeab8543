import { config } from '@grafana/runtime';
import { LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { useCallback } from 'react';
import { recordingFileName } from '@nester/contracts/nester/recording-file';

import { operationPath } from '../../api/operations';
import { useApp } from '../../app/context';
import { PROXY_BASE } from '../../constants';
import { ErrorState } from '../../components/ErrorState';
import { useAsync } from '../../components/useAsync';
import { parseRfbRecording } from '@nester/contracts/nester/rfb-recording';
import { parseCast } from './asciicast';
import { DesktopRecordingPlayer } from './DesktopRecordingPlayer';
import { RecordingPlayer } from './RecordingPlayer';

/**
 * The recording through the app's authenticated proxy route (Grafana adds nester's API token; the
 * route needs the Admin role); nester names the file (Content-Disposition), as `download` does.
 */
function recordingUrl(sessionId: string): string {
  // Absolute under Grafana's sub-path: a relative link would resolve against the page's URL.
  return `${config.appSubUrl ?? ''}/${PROXY_BASE}/${operationPath('getRecording', { id: sessionId })}`;
}

/** A desktop session's recording: noVNC replays it; the file downloads as nester names it. */
export function DesktopRecordingReplay({ sessionId, hostname }: { sessionId: string; hostname?: string | null }) {
  const { client } = useApp();
  const recording = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        parseRfbRecording(new Uint8Array(await client.getDesktopRecording(sessionId, signal))),
      [client, sessionId],
    ),
  );
  if (recording.error !== undefined) {
    return <ErrorState error={recording.error} onRetry={recording.reload} />;
  }
  if (!recording.value) {
    return <LoadingPlaceholder text="Loading the recording…" />;
  }
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" justifyContent="flex-end">
        <LinkButton
          size="sm"
          variant="secondary"
          icon="download-alt"
          tooltip="The VNC server's stream with its timings (nester's desktop recording format)"
          data-testid="download-rfbrec"
          href={recordingUrl(sessionId)}
          download={recordingFileName(hostname, sessionId, 'vnc')}
        >
          Download (.rfbrec)
        </LinkButton>
      </Stack>
      <DesktopRecordingPlayer recording={recording.value} />
    </Stack>
  );
}

export function RecordingReplay({ sessionId, hostname }: { sessionId: string; hostname?: string | null }) {
  const { client } = useApp();
  const cast = useAsync(
    useCallback(
      async (signal: AbortSignal) => parseCast(await client.getRecording(sessionId, signal)),
      [client, sessionId],
    ),
  );
  if (cast.error !== undefined) {
    return <ErrorState error={cast.error} onRetry={cast.reload} />;
  }
  if (!cast.value) {
    return <LoadingPlaceholder text="Loading the recording…" />;
  }
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" justifyContent="flex-end">
        <LinkButton
          size="sm"
          variant="secondary"
          icon="download-alt"
          tooltip="The asciicast v2 file, for asciinema play or any asciicast player"
          data-testid="download-cast"
          href={recordingUrl(sessionId)}
          download={recordingFileName(hostname, sessionId)}
        >
          Download (.cast)
        </LinkButton>
      </Stack>
      <RecordingPlayer cast={cast.value} />
    </Stack>
  );
}
