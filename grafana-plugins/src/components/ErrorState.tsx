import { Alert, Button } from '@grafana/ui';

import { NesterError, toNesterError } from '../api/errors';

const titles: Record<NesterError['kind'], string> = {
  forbidden: 'Permission denied',
  credentials: 'Credentials needed',
  offline: 'Harvester offline',
  'not-found': 'Not found',
  limit: 'Limit reached',
  unreachable: 'nester unreachable',
  error: 'Something went wrong',
};

/** A failed nester call, said plainly, with a retry when retrying can help. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const nesterError = toNesterError(error);
  const canRetry = onRetry && nesterError.kind !== 'forbidden';
  return (
    <Alert
      severity={nesterError.kind === 'forbidden' || nesterError.kind === 'credentials' ? 'warning' : 'error'}
      title={titles[nesterError.kind]}
      data-testid="error-state"
      data-kind={nesterError.kind}
    >
      <div>{nesterError.message}</div>
      {canRetry && (
        <Button size="sm" variant="secondary" icon="sync" onClick={onRetry} style={{ marginTop: 8 }}>
          Retry
        </Button>
      )}
    </Alert>
  );
}
