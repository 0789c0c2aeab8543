import { PluginPage } from '@grafana/runtime';
import { Alert, Badge, Button, ClipboardButton, ConfirmModal, Stack, useStyles2 } from '@grafana/ui';
import { useCallback, useState } from 'react';
import type { CreatedEnrollmentToken, EnrollmentToken } from '@nester/contracts/nester/api';

import { toNesterError } from '../../api/errors';
import { useApp } from '../../app/context';
import { ErrorState } from '../../components/ErrorState';
import { getTableStyles } from '../../components/tableStyles';
import { absoluteTime, relativeTime } from '../../components/time';
import { useAsync } from '../../components/useAsync';
import { CreateTokenForm } from './CreateTokenForm';
import { installCommand } from './installCommand';

export function EnrolmentPage() {
  const styles = useStyles2(getTableStyles);
  const { client, settings, can } = useApp();
  // Expiry is judged as of the fetch, like the status nester sends with each token.
  const tokens = useAsync(
    useCallback(
      async (signal: AbortSignal) => ({ list: await client.listEnrollmentTokens(signal), fetchedAt: Date.now() }),
      [client],
    ),
  );
  const list = tokens.value?.list;
  const fetchedAt = tokens.value?.fetchedAt ?? 0;
  // A nester without --releases.dir (or an older one) still enrols machines that have the agent.
  const releases = useAsync(
    useCallback((signal: AbortSignal) => client.getReleases(signal).catch(() => undefined), [client]),
  );
  const [created, setCreated] = useState<CreatedEnrollmentToken | undefined>(undefined);
  const [revoking, setRevoking] = useState<EnrollmentToken | undefined>(undefined);
  const [revokeError, setRevokeError] = useState<string | undefined>(undefined);
  const command = (token: string) =>
    installCommand(releases.value, settings.nesterUrl ?? '', settings.enrollUrl?.trim() || undefined, token);
  const served = releases.value?.harvester;

  if (!can('Admin')) {
    return (
      <PluginPage>
        <Alert severity="warning" title="Permission denied">
          Enrolment tokens can only be managed by organisation administrators.
        </Alert>
      </PluginPage>
    );
  }

  return (
    <PluginPage subTitle="Tokens that let new machines enrol their harvester agent">
      <Stack direction="column" gap={3}>
        <CreateTokenForm
          create={(token) => client.createEnrollmentToken(token)}
          onCreated={(token) => {
            setCreated(token);
            tokens.reload();
          }}
        />
        {created && (
          <Alert
            severity="success"
            title="Token created: copy the install command now"
            onRemove={() => setCreated(undefined)}
          >
            <p>
              The token is shown only this once; nester keeps only its hash.{' '}
              {releases.value?.installScriptUrl
                ? `Run this as root on the machine: it installs harvester ${served?.version ?? ''} from nester, enrols and starts it.`
                : 'nester serves no agent release (start it with --releases.dir), so install the harvester first, then run this on the machine to enrol:'}
            </p>
            <pre data-testid="install-command">{command(created.token)}</pre>
            <ClipboardButton icon="copy" variant="primary" getText={() => command(created.token)}>
              Copy install command
            </ClipboardButton>
          </Alert>
        )}
        {tokens.error !== undefined && <ErrorState error={tokens.error} onRetry={tokens.reload} />}
        {revokeError && (
          <Alert severity="error" title="Could not revoke the token">
            {revokeError}
          </Alert>
        )}
        {list && list.length === 0 && <p className={styles.muted}>No enrolment token yet.</p>}
        {list && list.length > 0 && (
          <table className={styles.table} data-testid="tokens-table">
            <thead>
              <tr>
                <th>Description</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Uses</th>
                <th>Status</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {list.map((token) => {
                const expired = token.expiresAt ? Date.parse(token.expiresAt) < fetchedAt : false;
                const status = token.status ?? (token.revokedAt ? 'revoked' : expired ? 'expired' : 'active');
                return (
                  <tr key={token.id} data-testid="token-row">
                    <td>{token.description || <span className={styles.muted}>(no description)</span>}</td>
                    <td title={absoluteTime(token.createdAt)}>{relativeTime(token.createdAt)}</td>
                    <td title={absoluteTime(token.expiresAt)}>
                      {token.expiresAt ? (expired ? 'expired' : relativeTime(token.expiresAt)) : 'never'}
                    </td>
                    <td>
                      {token.uses ?? 0} / {token.maxUses ?? '∞'}
                    </td>
                    <td>
                      <Badge color={status === 'active' ? 'green' : 'orange'} text={status} />
                      {token.createdBy && <div className={styles.muted}>by {token.createdBy}</div>}
                    </td>
                    <td className={styles.actions}>
                      {status === 'active' && (
                        <Button
                          size="sm"
                          variant="destructive"
                          fill="text"
                          icon="trash-alt"
                          onClick={() => setRevoking(token)}
                        >
                          Revoke
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Stack>
      <ConfirmModal
        isOpen={revoking !== undefined}
        title="Revoke this enrolment token?"
        body="Machines can no longer enrol with it. Harvesters that already enrolled keep working."
        confirmText="Revoke"
        onDismiss={() => setRevoking(undefined)}
        onConfirm={async () => {
          if (!revoking) {
            return;
          }
          try {
            await client.revokeEnrollmentToken(revoking.id);
            setRevokeError(undefined);
            tokens.reload();
          } catch (err) {
            setRevokeError(toNesterError(err).message);
          } finally {
            setRevoking(undefined);
          }
        }}
      />
    </PluginPage>
  );
}
