import { Button, ConfirmModal } from '@grafana/ui';
import { useState } from 'react';
import type { Harvester } from '@nester/contracts/nester/api';

import { useApp } from '../../app/context';
import { toNesterError } from '../../api/errors';

/** Revokes a harvester after confirmation: its credential stops working and its sessions end. */
export function RevokeButton({ harvester, onRevoked }: { harvester: Harvester; onRevoked: () => void }) {
  const { client, can } = useApp();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  if (!can('Admin') || harvester.status === 'revoked') {
    return null;
  }
  return (
    <>
      <Button size="sm" variant="destructive" fill="text" icon="ban" onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ConfirmModal
        isOpen={open}
        title={`Revoke ${harvester.hostname}?`}
        body={
          <>
            <p>
              Its agent credential stops working at once and every live session on it is closed. The machine has to
              enrol again to come back.
            </p>
            {error && <p style={{ color: 'red' }}>{error}</p>}
          </>
        }
        confirmText="Revoke"
        onConfirm={async () => {
          try {
            await client.revokeHarvester(harvester.id);
            setOpen(false);
            setError(undefined);
            onRevoked();
          } catch (err) {
            setError(toNesterError(err).message);
          }
        }}
        onDismiss={() => setOpen(false)}
      />
    </>
  );
}
