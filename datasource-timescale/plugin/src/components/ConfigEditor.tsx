import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import { useEffect } from 'react';

import { DEFAULT_SCRAPE_INTERVAL, TimescaleOptions, TimescaleSecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<TimescaleOptions, TimescaleSecureOptions>;

/** Why a URL cannot be the adapter's address, or undefined when it can. */
export function urlProblem(url: string | undefined): string | undefined {
  if (!url?.trim()) {
    return 'Required: the adapter’s address, such as http://adapter.example.net:9201';
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return 'Use an http:// or https:// URL';
    }
    if (parsed.search || parsed.hash) {
      return 'The URL takes no query string or fragment';
    }
  } catch {
    return 'Not a URL; use a form such as http://adapter.example.net:9201';
  }
  return undefined;
}

/**
 * The adapter's URL (the datasource URL, so Grafana's proxy and its allow-list apply to it) and
 * the read token, stored by Grafana in secureJsonData: never sent back to browsers, added to
 * each request by Grafana's proxy route.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  // The proxy route needs server access; Grafana's newer UIs no longer offer "browser" access.
  useEffect(() => {
    if (options.access !== 'proxy') {
      onOptionsChange({ ...options, access: 'proxy' });
    }
  }, [options, onOptionsChange]);

  const problem = urlProblem(options.url);
  const tokenSet = Boolean(options.secureJsonFields?.readToken);
  return (
    <>
      <FieldSet label="timescale-adapter">
        <Field
          label="URL"
          description="Where Grafana's server reaches the adapter (its --web.listen-address). Browsers never call it directly."
          invalid={Boolean(problem) && Boolean(options.url)}
          error={problem}
        >
          <Input
            id="adapter-url"
            width={60}
            value={options.url ?? ''}
            placeholder="http://localhost:9201"
            onChange={(e) => onOptionsChange({ ...options, url: e.currentTarget.value, access: 'proxy' })}
            onBlur={(e) => onOptionsChange({ ...options, url: e.currentTarget.value.trim().replace(/\/+$/, '') })}
          />
        </Field>
        <Field
          label="Read token"
          description={
            "One of the tokens in the adapter's --auth.read-token-file. Grafana keeps it encrypted and adds it to " +
            'requests server-side; it is never shown again.'
          }
        >
          <SecretInput
            id="read-token"
            width={60}
            isConfigured={tokenSet}
            value={options.secureJsonData?.readToken ?? ''}
            placeholder="read token"
            onChange={(e) =>
              onOptionsChange({
                ...options,
                secureJsonData: { ...options.secureJsonData, readToken: e.currentTarget.value },
              })
            }
            onReset={() =>
              onOptionsChange({
                ...options,
                secureJsonFields: { ...options.secureJsonFields, readToken: false },
                secureJsonData: { ...options.secureJsonData, readToken: '' },
              })
            }
          />
        </Field>
      </FieldSet>
      <FieldSet label="Queries">
        <Field
          label="Scrape interval"
          description="How often the harvesters sample (their --push.interval); $__rate_interval is built from it."
        >
          <Input
            id="scrape-interval"
            width={20}
            value={options.jsonData.scrapeInterval ?? ''}
            placeholder={DEFAULT_SCRAPE_INTERVAL}
            onChange={(e) =>
              onOptionsChange({
                ...options,
                jsonData: { ...options.jsonData, scrapeInterval: e.currentTarget.value.trim() || undefined },
              })
            }
          />
        </Field>
      </FieldSet>
    </>
  );
}
