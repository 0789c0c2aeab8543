import { Button, ConfirmModal } from '@grafana/ui';
import { useState } from 'react';
import type { Harvester } from '@nester/contracts/nester/api';

import { useApp } from '../../app/context';
import { toNesterError } from '../../api/errors';

/** Removes a revoked harvester from the inventory (Admin); its sessions and audit events stay. */
export function DeleteButton({ harvester, onDeleted }: { harvester: Harvester; onDeleted: () => void }) {
  const { client, can } = useApp();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  if (!can('Admin') || harvester.status !== 'revoked') {
    return null;
  }
  return (
    <>
      <Button size="sm" variant="destructive" fill="text" icon="trash-alt" onClick={() => setOpen(true)}>
        Delete
      </Button>
      <ConfirmModal
        isOpen={open}
        title={`Delete ${harvester.hostname}?`}
        body={
          <>
            <p>
              The revoked harvester leaves the fleet list. Its sessions, recordings and audit events stay in the
              Sessions page and the audit log.
            </p>
            {error && <p style={{ color: 'red' }}>{error}</p>}
          </>
        }
        confirmText="Delete"
        onConfirm={async () => {
          try {
            await client.deleteHarvester(harvester.id);
            setOpen(false);
            setError(undefined);
            onDeleted();
          } catch (err) {
            setError(toNesterError(err).message);
          }
        }}
        onDismiss={() => setOpen(false)}
      />
    </>
  );
}
