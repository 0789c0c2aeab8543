import { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack } from '@grafana/ui';
import { FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';

import { nester } from '../api/client';
import { toNesterError } from '../api/errors';
import { AppSettings } from './settings';
import { APP_SETTINGS_URL } from '../constants';
import { DEFAULT_METRICS_SELECTOR } from '../pages/harvester/metricQueries';
import { ConfigForm, fromJsonData, toJsonData, validateConfig } from './validate';

type Props = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

type Outcome = { severity: 'success' | 'warning' | 'error'; title: string; text: string };

async function saveSettings(jsonData: AppSettings, apiToken: string | undefined, enabled: boolean) {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: APP_SETTINGS_URL,
      method: 'POST',
      data: {
        enabled,
        pinned: enabled,
        jsonData,
        // Only sent when changed: Grafana keeps the stored secret otherwise.
        ...(apiToken !== undefined ? { secureJsonData: { apiToken } } : {}),
      },
      showSuccessAlert: false,
      showErrorAlert: false,
    }),
  );
}

/** The app's configuration page: where nester is, how browsers reach it, and its API token. */
export function AppConfig({ plugin }: Props) {
  const meta = plugin.meta;
  const [form, setForm] = useState<ConfigForm>(fromJsonData(meta.jsonData));
  const [tokenConfigured, setTokenConfigured] = useState(Boolean(meta.secureJsonFields?.apiToken));
  const [token, setToken] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const errors = validateConfig(form);
  const tokenMissing = !tokenConfigured && token === '';
  const invalid = Object.keys(errors).length > 0 || tokenMissing;

  const set = (key: keyof ConfigForm) => (event: FormEvent<HTMLInputElement>) =>
    setForm({ ...form, [key]: event.currentTarget.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) {
      return;
    }
    setBusy(true);
    setOutcome(undefined);
    try {
      await saveSettings(toJsonData(form), tokenConfigured ? undefined : token, true);
      setTokenConfigured(true);
      setToken('');
    } catch (err) {
      setOutcome({ severity: 'error', title: 'Not saved', text: toNesterError(err).message });
      setBusy(false);
      return;
    }
    // The proxy routes use what was just stored, so this checks the saved settings end to end.
    try {
      const harvesters = await nester.listHarvesters();
      setOutcome({
        severity: 'success',
        title: 'Saved, and nester answers',
        text: `nester knows ${harvesters.length} harvester${harvesters.length === 1 ? '' : 's'}.`,
      });
    } catch (err) {
      setOutcome({ severity: 'warning', title: 'Saved, but nester did not answer', text: toNesterError(err).message });
    } finally {
      setBusy(false);
    }
  };

  const show = (key: keyof ConfigForm) => (touched || form[key] !== '' ? errors[key] : undefined);

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Nester configuration">
      <FieldSet label="nester">
        <Field
          label="nester URL"
          description="Where Grafana's server reaches nester; the API token is added there, never in the browser."
          invalid={!!show('nesterUrl')}
          error={show('nesterUrl')}
          required
        >
          <Input
            id="nesterUrl"
            width={60}
            value={form.nesterUrl}
            placeholder="http://nester:8080"
            onChange={set('nesterUrl')}
          />
        </Field>
        <Field
          label="API token"
          description="Created with `nester api-token create`. Stored encrypted by Grafana."
          invalid={touched && tokenMissing}
          error={touched && tokenMissing ? 'Required' : undefined}
          required
        >
          <SecretInput
            id="apiToken"
            width={60}
            isConfigured={tokenConfigured}
            value={token}
            placeholder="nester API token"
            onChange={(event) => setToken(event.currentTarget.value)}
            onReset={() => {
              setTokenConfigured(false);
              setToken('');
            }}
          />
        </Field>
        <Field
          label="Public WebSocket URL"
          description="How browsers reach nester's session endpoint, if not the URL nester announces (e.g. behind a reverse proxy)."
          invalid={!!show('websocketUrl')}
          error={show('websocketUrl')}
        >
          <Input
            id="websocketUrl"
            width={60}
            value={form.websocketUrl}
            placeholder="wss://nester.example.com/ws/session"
            onChange={set('websocketUrl')}
          />
        </Field>
        <Field
          label="Enrolment URL"
          description="The nester URL new machines enrol against, shown in the install command. Defaults to the nester URL."
          invalid={!!show('enrollUrl')}
          error={show('enrollUrl')}
        >
          <Input
            id="enrollUrl"
            width={60}
            value={form.enrollUrl}
            placeholder="https://nester.example.com"
            onChange={set('enrollUrl')}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Recent metrics (optional)">
        <Field
          label="Metrics datasource"
          description="The datasource holding the harvesters' metrics: a nester-timescale-datasource, or a Prometheus one."
        >
          <div data-testid="metrics-datasource-picker" style={{ width: 480 }}>
            <DataSourcePicker
              inputId="metricsDatasourceUid"
              metrics
              noDefault
              current={form.metricsDatasourceUid || null}
              placeholder="Choose the metrics datasource"
              onChange={(ds) => setForm({ ...form, metricsDatasourceUid: ds.uid })}
              onClear={() => setForm({ ...form, metricsDatasourceUid: '' })}
            />
          </div>
        </Field>
        <Field
          label="Series selector"
          description="PromQL label matchers for one harvester (default: by the harvester_id label); ${id} and ${hostname} are filled in."
        >
          <Input
            id="metricsSelector"
            width={60}
            value={form.metricsSelector}
            placeholder={DEFAULT_METRICS_SELECTOR}
            onChange={set('metricsSelector')}
          />
        </Field>
      </FieldSet>
      <Stack direction="column" gap={2}>
        {outcome && (
          <Alert severity={outcome.severity} title={outcome.title} data-testid="config-outcome">
            {outcome.text}
          </Alert>
        )}
        <div>
          <Button type="submit" disabled={busy || (touched && invalid)}>
            {busy ? 'Saving…' : 'Save and test'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
