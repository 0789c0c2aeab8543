import { SelectableValue } from '@grafana/data';
import { IconButton, Select, Stack } from '@grafana/ui';

import { LabelMatcher, MATCH_OPS, MatchOp } from '../types';
import { useLazyOptions } from './useLazyOptions';

export interface MatcherRowProps {
  index: number;
  matcher: LabelMatcher;
  /** Label names of the series the rest of the query selects. */
  loadLabels: () => Promise<string[]>;
  /** Values of this row's label among the series the other matchers select. */
  loadValues: (label: string) => Promise<string[]>;
  /** Changes the cache keys when the rest of the query changes. */
  context: string;
  onChange: (matcher: LabelMatcher) => void;
  onRemove: () => void;
}

const asOption = (value: string | undefined): SelectableValue<string> | null =>
  value ? { label: value, value } : null;

const OP_OPTIONS = MATCH_OPS.map((op) => ({
  label: op,
  value: op,
  description: { '=': 'equals', '!=': 'does not equal', '=~': 'matches the regex', '!~': 'does not match the regex' }[
    op
  ],
}));

/** One label matcher: label, operator, value (values listed from the adapter, typed ones allowed). */
export function MatcherRow({ index, matcher, loadLabels, loadValues, context, onChange, onRemove }: MatcherRowProps) {
  const labels = useLazyOptions(`labels|${context}`, loadLabels);
  const values = useLazyOptions(`values|${matcher.label}|${context}`, () => loadValues(matcher.label));
  const error = labels.error ?? values.error;
  return (
    <Stack direction="column" gap={0}>
      <Stack direction="row" gap={0.5} alignItems="center">
        <Select
          aria-label={`Label ${index + 1}`}
          width={24}
          placeholder="label"
          value={asOption(matcher.label)}
          options={labels.options}
          isLoading={labels.loading}
          onOpenMenu={labels.load}
          allowCustomValue
          onChange={(choice) => onChange({ ...matcher, label: choice?.value ?? '' })}
        />
        <Select<MatchOp>
          aria-label={`Operator ${index + 1}`}
          width={8}
          value={matcher.op}
          options={OP_OPTIONS}
          onChange={(choice) => onChange({ ...matcher, op: choice.value ?? '=' })}
        />
        <Select
          aria-label={`Value ${index + 1}`}
          width={32}
          placeholder="value"
          value={asOption(matcher.value)}
          options={values.options}
          isLoading={values.loading}
          onOpenMenu={matcher.label ? values.load : undefined}
          allowCustomValue
          onChange={(choice) => onChange({ ...matcher, value: choice?.value ?? '' })}
        />
        <IconButton name="times" tooltip="Remove this matcher" onClick={onRemove} />
      </Stack>
      {error && (
        <div role="alert" data-testid="matcher-error">
          {error}
        </div>
      )}
    </Stack>
  );
}
