import { LoadingPlaceholder } from '@grafana/ui';
import { useCallback } from 'react';

import { useApp } from '../../app/context';
import { ErrorState } from '../../components/ErrorState';
import { useAsync } from '../../components/useAsync';
import { parseCast } from './asciicast';
import { RecordingPlayer } from './RecordingPlayer';

export function RecordingReplay({ sessionId }: { sessionId: string }) {
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
  return <RecordingPlayer cast={cast.value} />;
}
