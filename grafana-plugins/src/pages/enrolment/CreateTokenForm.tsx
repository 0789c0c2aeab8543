import { Button, Field, Input, Select, Stack } from '@grafana/ui';
import { FormEvent, useState } from 'react';
import type { CreatedEnrollmentToken, NewEnrollmentToken } from '@nester/contracts/nester/api';

import { toNesterError } from '../../api/errors';

const ttls = [
  { label: '1 hour', value: '1h' },
  { label: '24 hours', value: '24h' },
  { label: '7 days', value: '168h' },
  { label: '30 days', value: '720h' },
];

interface Props {
  create: (token: NewEnrollmentToken) => Promise<CreatedEnrollmentToken>;
  onCreated: (token: CreatedEnrollmentToken) => void;
}

export function CreateTokenForm({ create, onCreated }: Props) {
  const [description, setDescription] = useState('');
  const [ttl, setTtl] = useState('24h');
  const [maxUses, setMaxUses] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const uses = Number(maxUses);
  const usesInvalid = maxUses !== '' && (!Number.isInteger(uses) || uses < 1);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await create({
        description: description.trim(),
        ttl,
        maxUses: maxUses === '' ? undefined : uses,
      });
      setDescription('');
      onCreated(created);
    } catch (err) {
      setError(toNesterError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="New enrolment token">
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
        <Field label="Description" description="Where or for what it will be used" error={error} invalid={!!error}>
          <Input
            width={32}
            value={description}
            placeholder="e.g. Paris office laptops"
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
        </Field>
        <Field label="Valid for">
          <Select width={16} options={ttls} value={ttl} onChange={(choice) => setTtl(choice.value ?? '24h')} />
        </Field>
        <Field
          label="Uses"
          description="Empty = unlimited"
          invalid={usesInvalid}
          error={usesInvalid ? 'A whole number ≥ 1' : undefined}
        >
          <Input width={12} type="number" min={1} value={maxUses} onChange={(e) => setMaxUses(e.currentTarget.value)} />
        </Field>
        <Field label="">
          <Button type="submit" icon="plus" disabled={busy || usesInvalid}>
            Create token
          </Button>
        </Field>
      </Stack>
    </form>
  );
}
