import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { HttpError } from './http';
import { applySecrets } from './secrets';

/** A datasource instance as Grafana keeps it (data_source table); secrets stay on the server. */
export interface DatasourceRecord {
  id: number;
  uid: string;
  name: string;
  type: string;
  access: 'proxy' | 'direct';
  url: string;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
  /** Provisioned and not editable: the API refuses changes, as Grafana does. */
  readOnly: boolean;
  version: number;
}

export interface DatasourceInput {
  name?: string;
  type?: string;
  uid?: string;
  access?: 'proxy' | 'direct';
  url?: string;
  isDefault?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
  readOnly?: boolean;
}

const UID = /^[a-zA-Z0-9_-]{1,40}$/;

/**
 * Datasource instances in one JSON file of mode 0600 (it holds the secrets Grafana would keep
 * encrypted). Updates replace jsonData and only touch the secure keys they name; an empty
 * string clears a secret.
 */
export class DatasourceStore {
  private readonly file: string | undefined;
  private records: DatasourceRecord[] = [];

  constructor(
    dataDir: string | undefined,
    private readonly isDatasourceType: (type: string) => boolean,
  ) {
    this.file = dataDir ? path.join(dataDir, 'datasources.json') : undefined;
    if (this.file && fs.existsSync(this.file)) {
      // Written by persist below.
      this.records = JSON.parse(fs.readFileSync(this.file, 'utf8')) as DatasourceRecord[];
    }
  }

  list(): DatasourceRecord[] {
    return this.records.map((record) => structuredClone(record));
  }

  get(uid: string): DatasourceRecord | undefined {
    const record = this.records.find((r) => r.uid === uid);
    return record && structuredClone(record);
  }

  create(input: DatasourceInput): DatasourceRecord {
    const uid = input.uid ?? randomBytes(7).toString('base64url');
    const record = this.validate({
      id: Math.max(0, ...this.records.map((r) => r.id)) + 1,
      uid,
      name: input.name ?? '',
      type: input.type ?? '',
      access: input.access ?? 'proxy',
      url: input.url ?? '',
      isDefault: Boolean(input.isDefault),
      jsonData: input.jsonData ?? {},
      secureJsonData: {},
      readOnly: Boolean(input.readOnly),
      version: 1,
    });
    if (this.records.some((r) => r.uid === uid)) {
      throw new HttpError(409, `data source with the same uid already exists: ${uid}`);
    }
    applySecrets(record.secureJsonData, input.secureJsonData);
    this.records.push(record);
    this.persist(record);
    return structuredClone(record);
  }

  update(uid: string, input: DatasourceInput, { provisioning = false } = {}): DatasourceRecord {
    const index = this.records.findIndex((r) => r.uid === uid);
    if (index === -1) {
      throw new HttpError(404, 'Data source not found');
    }
    const current = this.records[index];
    if (current.readOnly && !provisioning) {
      throw new HttpError(403, 'Cannot update read-only data source');
    }
    const record = this.validate({
      ...current,
      name: input.name ?? current.name,
      type: input.type ?? current.type,
      access: input.access ?? current.access,
      url: input.url ?? current.url,
      isDefault: input.isDefault ?? current.isDefault,
      jsonData: input.jsonData ?? current.jsonData,
      secureJsonData: { ...current.secureJsonData },
      readOnly: provisioning ? Boolean(input.readOnly) : current.readOnly,
      version: current.version + 1,
    });
    applySecrets(record.secureJsonData, input.secureJsonData);
    this.records[index] = record;
    this.persist(record);
    return structuredClone(record);
  }

  /** Provisioning: create or update by uid (or by name when the file gives no uid). */
  provision(input: DatasourceInput): DatasourceRecord {
    const existing = this.records.find((r) => (input.uid ? r.uid === input.uid : r.name === input.name));
    return existing ? this.update(existing.uid, input, { provisioning: true }) : this.create(input);
  }

  delete(uid: string): void {
    const record = this.records.find((r) => r.uid === uid);
    if (!record) {
      throw new HttpError(404, 'Data source not found');
    }
    if (record.readOnly) {
      throw new HttpError(403, 'Cannot delete read-only data source');
    }
    this.records = this.records.filter((r) => r.uid !== uid);
    this.persist();
  }

  private validate(record: DatasourceRecord): DatasourceRecord {
    if (!record.name.trim()) {
      throw new HttpError(400, 'A data source needs a name');
    }
    if (!UID.test(record.uid)) {
      throw new HttpError(400, `invalid uid ${JSON.stringify(record.uid)}: up to 40 letters, digits, - and _`);
    }
    if (!this.isDatasourceType(record.type)) {
      throw new HttpError(400, `no installed datasource plugin has the type ${JSON.stringify(record.type)}`);
    }
    if (this.records.some((r) => r.name === record.name && r.uid !== record.uid)) {
      throw new HttpError(409, `data source with the same name already exists: ${record.name}`);
    }
    return record;
  }

  private persist(changed?: DatasourceRecord) {
    if (changed?.isDefault) {
      for (const other of this.records) {
        other.isDefault = other.uid === changed.uid;
      }
    }
    if (!this.file) {
      return;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.records, null, 2), { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }
}

/** Grafana's datasource DTO (GET /api/datasources/uid/:uid): secrets only as secureJsonFields. */
export function datasourceDto(record: DatasourceRecord) {
  const { secureJsonData, ...rest } = record;
  return {
    ...rest,
    orgId: 1,
    basicAuth: false,
    withCredentials: false,
    secureJsonFields: Object.fromEntries(Object.keys(secureJsonData).map((key) => [key, true])),
  };
}
