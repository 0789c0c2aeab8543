import { AppSettings } from './settings';

export interface ConfigForm {
  nesterUrl: string;
  websocketUrl: string;
  enrollUrl: string;
  metricsDatasourceUid: string;
  metricsSelector: string;
}

export type ConfigErrors = Partial<Record<keyof ConfigForm, string>>;

function checkUrl(value: string, schemes: string[], required: boolean): string | undefined {
  if (value === '') {
    return required ? 'Required' : undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `Not a URL; expected e.g. ${schemes[0]}://nester.example.com:8080`;
  }
  if (!schemes.includes(url.protocol.replace(/:$/, ''))) {
    return `Must start with ${schemes.map((s) => `${s}://`).join(' or ')}`;
  }
  if (url.username || url.password) {
    return 'Put credentials in the API token field, not in the URL';
  }
  return undefined;
}

export function validateConfig(form: ConfigForm): ConfigErrors {
  const errors: ConfigErrors = {
    nesterUrl: checkUrl(form.nesterUrl.trim(), ['http', 'https'], true),
    websocketUrl: checkUrl(form.websocketUrl.trim(), ['ws', 'wss'], false),
    enrollUrl: checkUrl(form.enrollUrl.trim(), ['http', 'https'], false),
  };
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message));
}

/** What is stored as jsonData: trimmed, no trailing slash (the proxy joins paths itself). */
export function toJsonData(form: ConfigForm): AppSettings {
  const clean = (value: string) => value.trim().replace(/\/+$/, '');
  const settings: AppSettings = { nesterUrl: clean(form.nesterUrl) };
  if (form.websocketUrl.trim()) {
    settings.websocketUrl = form.websocketUrl.trim();
  }
  if (form.enrollUrl.trim()) {
    settings.enrollUrl = clean(form.enrollUrl);
  }
  if (form.metricsDatasourceUid.trim()) {
    settings.metricsDatasourceUid = form.metricsDatasourceUid.trim();
  }
  if (form.metricsSelector.trim()) {
    settings.metricsSelector = form.metricsSelector.trim();
  }
  return settings;
}

export function fromJsonData(settings: AppSettings | undefined): ConfigForm {
  return {
    nesterUrl: settings?.nesterUrl ?? '',
    websocketUrl: settings?.websocketUrl ?? '',
    enrollUrl: settings?.enrollUrl ?? '',
    metricsDatasourceUid: settings?.metricsDatasourceUid ?? '',
    metricsSelector: settings?.metricsSelector ?? '',
  };
}
