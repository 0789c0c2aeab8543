import { DataSourceSettings } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';

import { TimescaleOptions, TimescaleSecureOptions } from '../types';
import { ConfigEditor, urlProblem } from './ConfigEditor';

type Settings = DataSourceSettings<TimescaleOptions, TimescaleSecureOptions>;

function renderConfig(initial: Partial<Settings>) {
  const seen: Settings[] = [];
  function Harness() {
    const [options, setOptions] = useState({
      jsonData: {},
      secureJsonFields: {},
      access: 'direct',
      url: '',
      ...initial,
    } as Settings);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          seen.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { last: () => seen[seen.length - 1] };
}

test('URL and read token go where Grafana’s proxy route reads them; access is always proxy', async () => {
  const user = userEvent.setup();
  const { last } = renderConfig({});
  expect(last().access).toBe('proxy');
  await user.type(screen.getByRole('textbox', { name: /URL/ }), ' http://adapter:9201/ ');
  await user.tab();
  expect(last().url).toBe('http://adapter:9201');
  await user.type(screen.getByPlaceholderText('read token'), 'r3ad-t0ken');
  expect(last().secureJsonData).toEqual({ readToken: 'r3ad-t0ken' });
  await user.type(screen.getByPlaceholderText('15s'), '5s');
  expect(last().jsonData).toEqual({ scrapeInterval: '5s' });
  // jsonData never carries the token: Viewers can read jsonData.
  expect(JSON.stringify(last().jsonData)).not.toContain('r3ad');
});

test('a saved token is shown as configured, never read back, and can be reset', async () => {
  const user = userEvent.setup();
  const { last } = renderConfig({ url: 'http://adapter:9201', access: 'proxy', secureJsonFields: { readToken: true } });
  expect(screen.getByDisplayValue('configured')).toBeDisabled();
  await user.click(screen.getByRole('button', { name: 'Reset' }));
  expect(last().secureJsonFields).toEqual({ readToken: false });
  expect(last().secureJsonData).toEqual({ readToken: '' });
});

test.each([
  ['', /Required/],
  ['adapter:9201', /http:\/\/ or https:\/\//],
  ['ftp://adapter', /http:\/\/ or https:\/\//],
  ['http://adapter:9201/?x=1', /no query string/],
  ['not a url', /Not a URL/],
])('%j is not an adapter URL', (url, problem) => {
  expect(urlProblem(url)).toMatch(problem);
});

test('http and https URLs with a path prefix are fine', () => {
  expect(urlProblem('https://metrics.example.net/adapter')).toBeUndefined();
});
