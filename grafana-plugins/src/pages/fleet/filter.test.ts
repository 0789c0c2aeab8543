import { harvester } from '../../../test/support/fakeNester';
import { filtersFromQuery, listQuery, outdatedAgents, pageCount, sortByHealth } from './filter';

const filters = (query: string) => filtersFromQuery(new URLSearchParams(query));

test('the URL becomes nester’s paging query: filters, sort, order, limit and offset', () => {
  expect(
    listQuery(filters('q=+web+&status=online&os=Ubuntu+24.04&label=a%3D1&label=b%3D2&sort=lastSeen&desc=1&page=3')),
  ).toEqual({
    q: 'web',
    status: 'online',
    os: 'Ubuntu 24.04',
    label: ['a=1', 'b=2'],
    sort: 'lastSeen',
    order: 'desc',
    limit: 50,
    offset: 100,
  });
  expect(listQuery(filters(''))).toEqual({
    q: undefined,
    status: undefined,
    os: undefined,
    label: [],
    sort: 'hostname',
    order: undefined,
    limit: 50,
    offset: 0,
  });
});

test('retired=hide asks nester to leave out revoked and replaced enrolments: one row per machine', () => {
  expect(listQuery(filters('retired=hide'))).toMatchObject({ hideRetired: 'true' });
  expect(listQuery(filters(''))).toMatchObject({ hideRetired: undefined });
});

test('a health sort asks nester for its hostname order and sorts the page itself', () => {
  expect(listQuery(filters('sort=cpu&desc=1&page=2'))).toMatchObject({
    sort: 'hostname',
    order: undefined,
    offset: 50,
  });
});

test('unknown statuses, sort keys and pages in the URL fall back to the defaults', () => {
  for (const page of ['0', '-2', 'x', '1.5', '1e400', '']) {
    expect(filters(`status=broken&sort=evil&page=${page}`)).toMatchObject({
      status: undefined,
      sort: 'hostname',
      page: 1,
    });
  }
});

test('page count: at least one page, a partial last page counts', () => {
  expect(pageCount(0)).toBe(1);
  expect(pageCount(50)).toBe(1);
  expect(pageCount(51)).toBe(2);
  expect(pageCount(10_000)).toBe(200);
});

test('sorts a page by a health figure, highest first; rows without it stay last', () => {
  const rows = ['a', 'b', 'c', 'd'].map((id) => harvester({ id, hostname: id }));
  const health = new Map([
    ['a', { cpuPercent: 10 }],
    ['b', { cpuPercent: 90 }],
    ['d', { cpuPercent: 50 }],
  ]);
  expect(sortByHealth(rows, health, 'cpu', false).map((h) => h.id)).toEqual(['b', 'd', 'a', 'c']);
  expect(sortByHealth(rows, health, 'cpu', true).map((h) => h.id)).toEqual(['a', 'd', 'b', 'c']);
  expect(sortByHealth(rows, undefined, 'cpu', false).map((h) => h.id)).toEqual(['a', 'b', 'c', 'd']);
});

test('outdated agents: versions older than the release served, revoked and unknown left out', () => {
  const facets = {
    status: { online: 0, offline: 0, revoked: 0 },
    agentVersion: { '0.1.0': 3, '0.2.0-rc.1': 2, '0.2.0': 4, '0.10.0': 1, '': 5 },
    os: {},
    label: {},
  };
  expect(outdatedAgents(facets, '0.2.0')).toBe(5);
  expect(outdatedAgents(facets, undefined)).toBe(0);
});
