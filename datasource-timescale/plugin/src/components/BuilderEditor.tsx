import { css } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import {
  Button,
  InlineField,
  InlineFieldRow,
  Input,
  MultiSelect,
  RadioButtonGroup,
  Select,
  useStyles2,
} from '@grafana/ui';

import type { TimescaleDataSource } from '../datasource';
import { formatExpression } from '../query/promql';
import {
  AGGREGATIONS,
  AggregationOp,
  DEFAULT_RANGE,
  LabelMatcher,
  RANGE_FUNCTIONS,
  RangeFunction,
  TimescaleQuery,
} from '../types';
import { MatcherRow } from './MatcherRow';
import { useLazyOptions } from './useLazyOptions';

export interface BuilderEditorProps {
  datasource: TimescaleDataSource;
  query: TimescaleQuery;
  onChange: (query: TimescaleQuery) => void;
  onRunQuery: () => void;
}

const FUNCTION_OPTIONS: Array<SelectableValue<RangeFunction | ''>> = [
  { label: 'None', value: '', description: 'the raw series' },
  ...RANGE_FUNCTIONS.map((fn) => ({ label: fn, value: fn })),
];
const AGGREGATION_OPTIONS: Array<SelectableValue<AggregationOp | ''>> = [
  { label: 'None', value: '', description: 'one series per label set' },
  ...AGGREGATIONS.map((op) => ({ label: op, value: op })),
];

/** Matchers the adapter can use for lookups: complete rows only. */
const complete = (matchers: LabelMatcher[]) => matchers.filter((m) => m.label && m.value);

/** Metric, label matchers, optional range function and aggregation, legend: what the adapter evaluates. */
export function BuilderEditor({ datasource, query, onChange, onRunQuery }: BuilderEditorProps) {
  const styles = useStyles2(getStyles);
  const matchers = query.matchers ?? [];
  const change = (next: Partial<TimescaleQuery>, run = true) => {
    onChange({ ...query, ...next, expr: undefined });
    if (run) {
      onRunQuery();
    }
  };
  const metrics = useLazyOptions('metrics', () => datasource.variableValues({ refId: 'metrics', kind: 'metricNames' }));
  const selection = JSON.stringify([query.metric, complete(matchers)]);
  const groupLabels = useLazyOptions(`group|${selection}`, () =>
    datasource.client.labelNames(datasource.lookupMatch({ metric: query.metric, matchers: complete(matchers) })),
  );
  const others = (index: number) => complete(matchers.filter((_, i) => i !== index));
  const setMatcher = (index: number, matcher: LabelMatcher) =>
    change({ matchers: matchers.map((m, i) => (i === index ? matcher : m)) }, Boolean(matcher.label && matcher.value));

  return (
    <div data-testid="timescale-builder">
      <InlineFieldRow>
        <InlineField label="Metric" labelWidth={14} error={metrics.error} invalid={Boolean(metrics.error)}>
          <Select
            aria-label="Metric"
            width={48}
            placeholder="Choose a metric"
            value={query.metric ? { label: query.metric, value: query.metric } : null}
            options={metrics.options}
            isLoading={metrics.loading}
            onOpenMenu={metrics.load}
            allowCustomValue
            isClearable
            onChange={(choice) => change({ metric: choice?.value || undefined })}
          />
        </InlineField>
      </InlineFieldRow>
      <div className={styles.matchers}>
        <span className={styles.caption}>Label matchers</span>
        {matchers.map((matcher, index) => (
          <MatcherRow
            key={index}
            index={index}
            matcher={matcher}
            context={JSON.stringify([query.metric, others(index)])}
            loadLabels={() =>
              datasource.client.labelNames(datasource.lookupMatch({ metric: query.metric, matchers: others(index) }))
            }
            loadValues={(label) =>
              datasource.client.labelValues(
                label,
                datasource.lookupMatch({ metric: query.metric, matchers: others(index) }),
              )
            }
            onChange={(next) => setMatcher(index, next)}
            onRemove={() => change({ matchers: matchers.filter((_, i) => i !== index) })}
          />
        ))}
        <Button
          variant="secondary"
          size="sm"
          icon="plus"
          onClick={() => change({ matchers: [...matchers, { label: '', op: '=', value: '' }] }, false)}
        >
          Label matcher
        </Button>
      </div>
      <InlineFieldRow>
        <InlineField label="Range function" labelWidth={14}>
          <Select<RangeFunction | ''>
            aria-label="Range function"
            width={20}
            value={query.function ?? ''}
            options={FUNCTION_OPTIONS}
            onChange={(choice) => change({ function: choice.value || undefined })}
          />
        </InlineField>
        {query.function && (
          <InlineField label="Range" tooltip="The function's window: a duration such as 5m, or $__rate_interval">
            <Input
              aria-label="Range"
              width={20}
              placeholder={DEFAULT_RANGE}
              defaultValue={query.range ?? ''}
              onBlur={(e) => change({ range: e.currentTarget.value.trim() || undefined })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Aggregation" labelWidth={14}>
          <Select<AggregationOp | ''>
            aria-label="Aggregation"
            width={20}
            value={query.aggregation?.op ?? ''}
            options={AGGREGATION_OPTIONS}
            onChange={(choice) =>
              change({
                aggregation: choice.value
                  ? { op: choice.value, mode: query.aggregation?.mode ?? 'by', labels: query.aggregation?.labels ?? [] }
                  : undefined,
              })
            }
          />
        </InlineField>
        {query.aggregation && (
          <>
            <RadioButtonGroup<'by' | 'without'>
              size="sm"
              value={query.aggregation.mode}
              options={[
                { label: 'by', value: 'by' },
                { label: 'without', value: 'without' },
              ]}
              onChange={(mode) => change({ aggregation: { ...query.aggregation!, mode } })}
            />
            <MultiSelect
              aria-label="Grouping labels"
              width={40}
              placeholder="labels (none: one series)"
              value={query.aggregation.labels}
              options={groupLabels.options}
              isLoading={groupLabels.loading}
              onOpenMenu={groupLabels.load}
              allowCustomValue
              onChange={(choices) =>
                change({ aggregation: { ...query.aggregation!, labels: choices.map((c) => c.value!).filter(Boolean) } })
              }
            />
          </>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Legend" labelWidth={14} tooltip="Series names from labels, e.g. {{instance}} {{mode}}">
          <Input
            aria-label="Legend"
            width={48}
            placeholder="{{instance}}"
            defaultValue={query.legendFormat ?? ''}
            onBlur={(e) => change({ legendFormat: e.currentTarget.value || undefined })}
          />
        </InlineField>
      </InlineFieldRow>
      {groupLabels.error && <div role="alert">{groupLabels.error}</div>}
      <code className={styles.expression} data-testid="timescale-expression">
        {formatExpression(query)}
      </code>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  matchers: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    margin: theme.spacing(0.5, 0, 1),
  }),
  caption: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  expression: css({ display: 'block', marginTop: theme.spacing(1), color: theme.colors.text.secondary }),
});
