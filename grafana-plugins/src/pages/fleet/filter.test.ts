import { harvester } from '../../../test/support/fakeNester';
import { applyFilters, filtersFromQuery } from './filter';

const fleet = [
  harvester({
    id: 'h_1',
    hostname: 'web-10',
    status: 'online',
    lastSeen: '2026-11-26T10:00:00Z',
    labels: { site: 'paris' },
  }),
  harvester({
    id: 'h_2',
    hostname: 'web-9',
    status: 'offline',
    lastSeen: '2026-11-26T09:00:00Z',
    labels: { site: 'lyon' },
  }),
  harvester({
    id: 'h_3',
    hostname: 'db-1',
    status: 'revoked',
    lastSeen: null,
    os: { id: 'ubuntu', name: 'Ubuntu', version: '24.04', prettyName: '' },
    addresses: ['10.0.0.7'],
    labels: { site: 'paris', role: 'db' },
  }),
];
const names = (query: string) =>
  applyFilters(fleet, filtersFromQuery(new URLSearchParams(query))).map((h) => h.hostname);

test('sorts hostnames naturally by default', () => {
  expect(names('')).toEqual(['db-1', 'web-9', 'web-10']);
});

test('searches hostname, id, address and labels', () => {
  expect(names('q=WEB')).toEqual(['web-9', 'web-10']);
  expect(names('q=10.0.0')).toEqual(['db-1']);
  expect(names('q=h_2')).toEqual(['web-9']);
  expect(names('q=role%3Ddb')).toEqual(['db-1']);
});

test('filters by status, operating system and all chosen labels', () => {
  expect(names('status=online')).toEqual(['web-10']);
  expect(names('os=Ubuntu+24.04')).toEqual(['db-1']);
  expect(names('label=site%3Dparis')).toEqual(['db-1', 'web-10']);
  expect(names('label=site%3Dparis&label=role%3Ddb')).toEqual(['db-1']);
});

test('sorts by status, last seen (never seen last) and direction', () => {
  expect(names('sort=status')).toEqual(['web-10', 'web-9', 'db-1']);
  expect(names('sort=lastSeen')).toEqual(['web-10', 'web-9', 'db-1']);
  expect(names('sort=hostname&desc=1')).toEqual(['web-10', 'web-9', 'db-1']);
});

test('ignores unknown statuses and sort keys in the URL', () => {
  expect(filtersFromQuery(new URLSearchParams('status=broken&sort=evil'))).toMatchObject({
    status: undefined,
    sort: 'hostname',
  });
});

test('retired=hide leaves out revoked harvesters and replaced enrolments: one row per machine', () => {
  const reEnrolled = [...fleet, harvester({ id: 'h_0', hostname: 'web-9', status: 'offline', replacedBy: 'h_2' })];
  const shown = (query: string) =>
    applyFilters(reEnrolled, filtersFromQuery(new URLSearchParams(query))).map((h) => h.id);
  expect(shown('')).toEqual(['h_3', 'h_2', 'h_0', 'h_1']);
  expect(shown('retired=hide')).toEqual(['h_2', 'h_1']);
});
