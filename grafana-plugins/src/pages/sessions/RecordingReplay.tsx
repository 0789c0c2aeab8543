import { Button, LoadingPlaceholder, Stack } from '@grafana/ui';
import { useCallback } from 'react';

import { useApp } from '../../app/context';
import { ErrorState } from '../../components/ErrorState';
import { useAsync } from '../../components/useAsync';
import { castFileName, parseCast } from './asciicast';
import { RecordingPlayer } from './RecordingPlayer';

/** Saves `text` as a file named `name` through a temporary object URL. */
function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-asciicast' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // After the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function RecordingReplay({ sessionId, hostname }: { sessionId: string; hostname?: string | null }) {
  const { client } = useApp();
  // The file as nester serves it (asciicast v2), kept as is for the download.
  const recording = useAsync(
    useCallback(
      async (signal: AbortSignal) => {
        const text = await client.getRecording(sessionId, signal);
        return { text, cast: parseCast(text) };
      },
      [client, sessionId],
    ),
  );
  if (recording.error !== undefined) {
    return <ErrorState error={recording.error} onRetry={recording.reload} />;
  }
  if (!recording.value) {
    return <LoadingPlaceholder text="Loading the recording…" />;
  }
  const { text, cast } = recording.value;
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" justifyContent="flex-end">
        <Button
          size="sm"
          variant="secondary"
          icon="download-alt"
          tooltip="The asciicast v2 file, for asciinema play or any asciicast player"
          data-testid="download-cast"
          onClick={() => download(text, castFileName(hostname, sessionId))}
        >
          Download (.cast)
        </Button>
      </Stack>
      <RecordingPlayer cast={cast} />
    </Stack>
  );
}
