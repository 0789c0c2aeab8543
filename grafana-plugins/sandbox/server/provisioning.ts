import fs from 'node:fs';
import { parse } from 'yaml';

import { DatasourceInput } from './datasourceStore';

/**
 * Grafana's datasource provisioning files (provisioning/datasources/*.yaml), read the same way:
 * apiVersion 1, a `datasources` list, and $VAR / ${VAR} in any string replaced from the
 * environment ($$ for a literal $), so secrets can stay out of the file. Provisioned
 * datasources are read-only in the UI unless `editable: true`.
 */
export class ProvisioningError extends Error {}

export function expandEnv(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, plain?: string) =>
      whole === '$$' ? '$' : (env[braced ?? plain ?? ''] ?? ''),
    );
  }
  if (Array.isArray(value)) {
    return value.map((item) => expandEnv(item, env));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandEnv(item, env)]));
  }
  return value;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

export function parseDatasourceProvisioning(text: string, file: string, env = process.env): DatasourceInput[] {
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (err) {
    throw new ProvisioningError(
      `${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    );
  }
  if (!isObject(doc) || !Array.isArray(doc.datasources)) {
    throw new ProvisioningError(`${file}: expected "apiVersion: 1" and a "datasources:" list`);
  }
  return doc.datasources.map((entry, i) => {
    const where = `${file}: datasources[${i}]`;
    if (!isObject(entry)) {
      throw new ProvisioningError(`${where} is not a mapping`);
    }
    const ds = expandEnv(entry, env) as Record<string, unknown>;
    for (const key of ['name', 'type']) {
      if (typeof ds[key] !== 'string' || !ds[key]) {
        throw new ProvisioningError(`${where}: "${key}" is required`);
      }
    }
    for (const key of ['jsonData', 'secureJsonData']) {
      if (ds[key] !== undefined && !isObject(ds[key])) {
        throw new ProvisioningError(`${where}: "${key}" must be a mapping`);
      }
    }
    return {
      name: ds.name as string,
      type: ds.type as string,
      uid: typeof ds.uid === 'string' ? ds.uid : undefined,
      access: ds.access === 'direct' ? 'direct' : 'proxy',
      url: typeof ds.url === 'string' ? ds.url : '',
      isDefault: ds.isDefault === true,
      jsonData: (ds.jsonData as Record<string, unknown>) ?? {},
      secureJsonData: (ds.secureJsonData as Record<string, unknown>) ?? {},
      readOnly: ds.editable !== true,
    };
  });
}

export function readDatasourceProvisioning(file: string): DatasourceInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ProvisioningError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseDatasourceProvisioning(text, file);
}
