import { Button, Input, Stack } from '@grafana/ui';
import { useState } from 'react';

import { Variables } from '../variables';

/** Dashboard variables stand-in: textbox variables, one value each (comma-separate for several). */
export function VariablesEditor({ variables, onChange }: { variables: Variables; onChange: (v: Variables) => void }) {
  const [name, setName] = useState('');
  const update = (key: string, text: string) => {
    const values = text
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    onChange({ ...variables, [key]: values.length > 1 ? values : (values[0] ?? '') });
  };
  return (
    <Stack direction="row" gap={1} wrap="wrap" alignItems="center" data-testid="dashboard-variables">
      {Object.entries(variables).map(([key, value]) => (
        <Input
          key={key}
          width={24}
          prefix={`$${key}`}
          aria-label={`Variable ${key}`}
          defaultValue={Array.isArray(value) ? value.join(',') : value}
          onBlur={(e) => update(key, e.currentTarget.value)}
        />
      ))}
      <Input
        width={16}
        placeholder="new variable"
        value={name}
        onChange={(e) => setName(e.currentTarget.value.replace(/\W/g, ''))}
      />
      <Button
        size="sm"
        variant="secondary"
        disabled={!name}
        onClick={() => (onChange({ ...variables, [name]: '' }), setName(''))}
      >
        Add variable
      </Button>
    </Stack>
  );
}
