/**
 * The rules of Grafana's plugin.json schema (grafana/grafana docs/sources/developers/plugins/
 * plugin.schema.json, read at commit 021371ce), encoded here so the test needs no network.
 * Returns one sentence per violation; an empty list means the file obeys the schema.
 */
type Json = Record<string, unknown>;

const ID_PATTERN = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource|secretsmanager|transformer)$/;
const DEPENDENCY_ID_PATTERN = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource|secretsmanager)$/;
const TYPES = ['app', 'datasource', 'panel', 'renderer', 'secretsmanager', 'transformer'];
const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)|(%VERSION%)$/;
const UPDATED_PATTERN = /^(\d{4}-\d{2}-\d{2}|%TODAY%)$/;
const GRAFANA_DEPENDENCY_PATTERN =
  /^(<=|>=|<|>|=|~|\^)?([0-9]+)(\.[0-9x*]+)(\.[0-9x*]+)?(\s(<=|>=|<|=>)?([0-9]+)(\.[0-9x]+)(\.[0-9x]+))?$/;
const CATEGORIES = ['tsdb', 'logging', 'cloud', 'tracing', 'profiling', 'sql', 'enterprise', 'iot', 'other'];
const INCLUDE_TYPES = ['dashboard', 'page', 'panel', 'datasource', 'secretsmanager'];
const ROLES = ['Admin', 'Editor', 'Viewer'];

const TOP_LEVEL: Record<string, 'string' | 'boolean' | 'object' | 'array'> = {
  $schema: 'string',
  id: 'string',
  type: 'string',
  name: 'string',
  info: 'object',
  dependencies: 'object',
  alerting: 'boolean',
  annotations: 'boolean',
  autoEnabled: 'boolean',
  backend: 'boolean',
  builtIn: 'boolean',
  category: 'string',
  enterpriseFeatures: 'object',
  executable: 'string',
  hideFromList: 'boolean',
  includes: 'array',
  logs: 'boolean',
  metrics: 'boolean',
  pascalName: 'string',
  preload: 'boolean',
  queryOptions: 'object',
  routes: 'array',
  skipDataQuery: 'boolean',
  state: 'string',
  streaming: 'boolean',
  tracing: 'boolean',
};
const DATASOURCE_ONLY = [
  'alerting',
  'annotations',
  'logs',
  'metrics',
  'streaming',
  'tracing',
  'category',
  'queryOptions',
];
const INFO_KEYS = ['author', 'build', 'description', 'keywords', 'links', 'logos', 'screenshots', 'updated', 'version'];
const ROUTE_KEYS = [
  'path',
  'method',
  'url',
  'reqSignedIn',
  'reqRole',
  'headers',
  'body',
  'tokenAuth',
  'jwtTokenAuth',
  'urlParams',
];
const INCLUDE_KEYS = ['uid', 'type', 'name', 'component', 'role', 'path', 'addToNav', 'defaultNav', 'icon'];

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function isObject(value: unknown): value is Json {
  return kindOf(value) === 'object';
}

function unknownKeys(where: string, value: Json, allowed: string[], errors: string[]) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      errors.push(`${where}: property "${key}" is not allowed`);
    }
  }
}

function checkInfo(info: unknown, errors: string[]) {
  if (!isObject(info)) {
    errors.push('info: must be an object');
    return;
  }
  unknownKeys('info', info, INFO_KEYS, errors);
  for (const key of ['logos', 'version', 'updated', 'keywords']) {
    if (!(key in info)) {
      errors.push(`info: "${key}" is required`);
    }
  }
  if ('keywords' in info && (!Array.isArray(info.keywords) || info.keywords.length < 1)) {
    errors.push('info.keywords: needs at least one keyword');
  } else if (Array.isArray(info.keywords) && info.keywords.some((k) => typeof k !== 'string')) {
    errors.push('info.keywords: keywords are strings');
  }
  if ('version' in info && (typeof info.version !== 'string' || !VERSION_PATTERN.test(info.version))) {
    errors.push(`info.version: "${String(info.version)}" is not a version or %VERSION%`);
  }
  if ('updated' in info && (typeof info.updated !== 'string' || !UPDATED_PATTERN.test(info.updated))) {
    errors.push(`info.updated: "${String(info.updated)}" is not YYYY-MM-DD or %TODAY%`);
  }
  if ('logos' in info) {
    if (!isObject(info.logos)) {
      errors.push('info.logos: must be an object');
    } else {
      unknownKeys('info.logos', info.logos, ['small', 'large'], errors);
      for (const size of ['small', 'large']) {
        if (typeof info.logos[size] !== 'string') {
          errors.push(`info.logos.${size}: a path to an SVG is required`);
        }
      }
    }
  }
  if ('author' in info) {
    if (!isObject(info.author)) {
      errors.push('info.author: must be an object');
    } else {
      unknownKeys('info.author', info.author, ['name', 'email', 'url'], errors);
    }
  }
}

function checkDependencies(dependencies: unknown, errors: string[]) {
  if (!isObject(dependencies)) {
    errors.push('dependencies: must be an object');
    return;
  }
  unknownKeys('dependencies', dependencies, ['grafanaVersion', 'grafanaDependency', 'plugins'], errors);
  const range = dependencies.grafanaDependency;
  if (typeof range !== 'string') {
    errors.push('dependencies.grafanaDependency: is required');
  } else if (!GRAFANA_DEPENDENCY_PATTERN.test(range)) {
    errors.push(`dependencies.grafanaDependency: "${range}" does not match the schema's version range pattern`);
  }
  if ('plugins' in dependencies) {
    if (!Array.isArray(dependencies.plugins)) {
      errors.push('dependencies.plugins: must be an array');
    } else {
      dependencies.plugins.forEach((plugin, i) => {
        const where = `dependencies.plugins[${i}]`;
        if (!isObject(plugin)) {
          errors.push(`${where}: must be an object`);
          return;
        }
        for (const key of ['id', 'name', 'type', 'version']) {
          if (typeof plugin[key] !== 'string') {
            errors.push(`${where}.${key}: is required`);
          }
        }
        if (typeof plugin.id === 'string' && !DEPENDENCY_ID_PATTERN.test(plugin.id)) {
          errors.push(`${where}.id: "${plugin.id}" is not a plugin id`);
        }
      });
    }
  }
}

function checkIncludes(includes: unknown[], errors: string[]) {
  includes.forEach((include, i) => {
    const where = `includes[${i}]`;
    if (!isObject(include)) {
      errors.push(`${where}: must be an object`);
      return;
    }
    unknownKeys(where, include, INCLUDE_KEYS, errors);
    if ('type' in include && !INCLUDE_TYPES.includes(String(include.type))) {
      errors.push(`${where}.type: "${String(include.type)}" is not one of ${INCLUDE_TYPES.join(', ')}`);
    }
    if ('role' in include && !ROLES.includes(String(include.role))) {
      errors.push(`${where}.role: "${String(include.role)}" is not one of ${ROLES.join(', ')}`);
    }
    for (const key of ['addToNav', 'defaultNav']) {
      if (key in include && typeof include[key] !== 'boolean') {
        errors.push(`${where}.${key}: must be a boolean`);
      }
    }
  });
}

function checkRoutes(routes: unknown[], errors: string[]) {
  routes.forEach((route, i) => {
    const where = `routes[${i}]`;
    if (!isObject(route)) {
      errors.push(`${where}: must be an object`);
      return;
    }
    unknownKeys(where, route, ROUTE_KEYS, errors);
    for (const key of ['path', 'method', 'url', 'reqRole']) {
      if (key in route && typeof route[key] !== 'string') {
        errors.push(`${where}.${key}: must be a string`);
      }
    }
    if ('headers' in route) {
      if (!Array.isArray(route.headers)) {
        errors.push(`${where}.headers: must be an array`);
      } else if (
        route.headers.some((h) => !isObject(h) || typeof h.name !== 'string' || typeof h.content !== 'string')
      ) {
        errors.push(`${where}.headers: each header needs a string name and content (Grafana's route headers)`);
      }
    }
    if ('body' in route && !isObject(route.body)) {
      errors.push(`${where}.body: must be an object`);
    }
  });
}

export function pluginJsonErrors(json: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(json)) {
    return ['plugin.json: must be a JSON object'];
  }
  for (const key of ['type', 'name', 'id', 'info', 'dependencies']) {
    if (!(key in json)) {
      errors.push(`"${key}" is required`);
    }
  }
  for (const [key, value] of Object.entries(json)) {
    const expected = TOP_LEVEL[key];
    if (!expected) {
      errors.push(`property "${key}" is not allowed`);
    } else if (kindOf(value) !== expected) {
      errors.push(`${key}: must be ${expected === 'array' ? 'an' : 'a'} ${expected}`);
    }
  }
  if (typeof json.id === 'string' && !ID_PATTERN.test(json.id)) {
    errors.push(`id: "${json.id}" does not match <org>-<name>-<type> (lowercase letters and digits, no extra hyphens)`);
  }
  if ('type' in json && !TYPES.includes(String(json.type))) {
    errors.push(`type: "${String(json.type)}" is not one of ${TYPES.join(', ')}`);
  }
  if (typeof json.id === 'string' && typeof json.type === 'string' && !json.id.endsWith(`-${json.type}`)) {
    errors.push(`id: "${json.id}" must end with its type "-${json.type}"`);
  }
  if ('category' in json && !CATEGORIES.includes(String(json.category))) {
    errors.push(`category: "${String(json.category)}" is not one of ${CATEGORIES.join(', ')}`);
  }
  if ('state' in json && !['alpha', 'beta'].includes(String(json.state))) {
    errors.push(`state: "${String(json.state)}" is not alpha or beta`);
  }
  // Fields the schema documents for one plugin type only.
  if (json.type !== 'datasource') {
    for (const key of DATASOURCE_ONLY) {
      if (key in json) {
        errors.push(`${key}: only data source plugins use it`);
      }
    }
  }
  if ('skipDataQuery' in json && json.type !== 'panel') {
    errors.push('skipDataQuery: only panel plugins use it');
  }
  if ('alerting' in json && json.alerting === true && json.backend !== true) {
    errors.push('alerting: requires "backend": true');
  }
  if (
    ('routes' in json || 'includes' in json || 'autoEnabled' in json || 'preload' in json) &&
    !['app', 'datasource'].includes(String(json.type))
  ) {
    errors.push('routes/includes/autoEnabled/preload: only app and data source plugins use them');
  }
  if ('info' in json) {
    checkInfo(json.info, errors);
  }
  if ('dependencies' in json) {
    checkDependencies(json.dependencies, errors);
  }
  if (Array.isArray(json.includes)) {
    checkIncludes(json.includes, errors);
  }
  if (Array.isArray(json.routes)) {
    checkRoutes(json.routes, errors);
  }
  return errors;
}
