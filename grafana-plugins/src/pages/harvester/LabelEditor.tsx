import { Alert, Button, IconButton, Input, Stack, TagList, Text } from '@grafana/ui';
import { checkLabels, RESERVED_LABEL_NAMES } from '@nester/contracts/metrics/identity';
import type { Harvester } from '@nester/contracts/nester/api';
import { useState } from 'react';

import { useApp } from '../../app/context';
import { toNesterError } from '../../api/errors';
import { labelPairs } from '../fleet/filter';

type Row = { name: string; value: string };

const rowsOf = (labels: Record<string, string>): Row[] =>
  Object.entries(labels).map(([name, value]) => ({ name, value }));

/**
 * The machine's labels; an Admin edits them here. nester stores them and sends them to the agent,
 * which puts them on every series it pushes, so names follow Prometheus' rules (checked here as
 * nester checks them, before sending).
 */
export function LabelEditor({ harvester, onSaved }: { harvester: Harvester; onSaved: () => void }) {
  const { client, can } = useApp();
  const [rows, setRows] = useState<Row[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const editable = can('Admin') && harvester.status !== 'revoked';

  if (rows === undefined) {
    return (
      <div data-testid="harvester-labels">
        <Stack direction="row" gap={2} alignItems="center" justifyContent="flex-start">
          {labelPairs(harvester).length ? (
            <div>
              <TagList tags={labelPairs(harvester)} />
            </div>
          ) : (
            <Text color="secondary">none</Text>
          )}
          {harvester.labelsSetByOperator && <Text color="secondary">set in the app</Text>}
          {editable && (
            <Button size="sm" variant="secondary" icon="pen" onClick={() => setRows(rowsOf(harvester.labels))}>
              Edit labels
            </Button>
          )}
        </Stack>
      </div>
    );
  }

  const set = (index: number, change: Partial<Row>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const save = async () => {
    const entries = rows.filter((row) => row.name.trim() !== '' || row.value !== '');
    const names = entries.map((row) => row.name.trim());
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) {
      return setError(`label "${duplicate}" is given twice`);
    }
    const checked = checkLabels(Object.fromEntries(entries.map((row) => [row.name.trim(), row.value])));
    if (!checked.ok) {
      return setError(checked.error);
    }
    setSaving(true);
    try {
      await client.setHarvesterLabels(harvester.id, checked.labels);
      setRows(undefined);
      setError(undefined);
      onSaved();
    } catch (err) {
      setError(toNesterError(err).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="label-editor">
      <Stack direction="column" gap={1}>
        <Text color="secondary">
          On every series this machine pushes, from its next sample. Names: letters, digits and _, not{' '}
          {RESERVED_LABEL_NAMES.join(', ')}.
        </Text>
        {rows.map((row, index) => (
          <Stack key={index} direction="row" gap={1} alignItems="center">
            <Input
              aria-label={`Label name ${index + 1}`}
              width={24}
              placeholder="name"
              value={row.name}
              onChange={(e) => set(index, { name: e.currentTarget.value })}
            />
            <Input
              aria-label={`Label value ${index + 1}`}
              width={32}
              placeholder="value"
              value={row.value}
              onChange={(e) => set(index, { value: e.currentTarget.value })}
            />
            <IconButton
              name="trash-alt"
              tooltip="Remove this label"
              onClick={() => setRows(rows.filter((_, i) => i !== index))}
            />
          </Stack>
        ))}
        {error && (
          <Alert severity="error" title="Labels not saved">
            {error}
          </Alert>
        )}
        <Stack direction="row" gap={1}>
          <Button size="sm" variant="secondary" icon="plus" onClick={() => setRows([...rows, { name: '', value: '' }])}>
            Add label
          </Button>
          <Button size="sm" onClick={() => void save()} disabled={saving}>
            Save labels
          </Button>
          <Button
            size="sm"
            variant="secondary"
            fill="text"
            onClick={() => {
              setRows(undefined);
              setError(undefined);
            }}
          >
            Cancel
          </Button>
        </Stack>
      </Stack>
    </div>
  );
}
