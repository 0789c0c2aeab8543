/** @jest-environment node */
import { chooseRoute } from '@nester/sandbox/server/proxy';
import { makeUser } from '@nester/sandbox/server/identity';
import appPluginJson from '../plugin.json';
import { OrgRole } from './roles';
import { operationPath, operations } from './operations';

// Each call the plugins make, checked against plugin.json with Grafana's own route choice
// (first route whose method and path match; 403 when the role is too low).
const routes = appPluginJson.routes;
const roles: OrgRole[] = ['Viewer', 'Editor', 'Admin'];
const allowed = (have: OrgRole, need: OrgRole) => roles.indexOf(have) >= roles.indexOf(need);

describe.each(Object.entries(operations))('%s', (name, operation) => {
  const path = operationPath(name as keyof typeof operations, { id: 'h_1' });

  test.each(roles)(`as %s: allowed exactly when the role reaches ${operation.role}`, (role) => {
    const choice = chooseRoute(routes, operation.method, path, makeUser('someone', role));
    expect(choice.route).toBeDefined();
    expect(choice.denied ?? false).toBe(!allowed(role, operation.role));
  });

  test('reaches the same path on nester', () => {
    const choice = chooseRoute(routes, operation.method, path, makeUser('admin', 'Admin'));
    const target = `${choice.route!.url!.replace('{{ .JsonData.nesterUrl }}', '')}${choice.rest ? `/${choice.rest}` : ''}`;
    expect(target).toBe(`/${path}`);
  });
});

test('the roles follow docs/nester-api.md', () => {
  expect(Object.fromEntries(Object.entries(operations).map(([name, op]) => [name, `${op.method} ${op.role}`]))).toEqual(
    {
      listHarvesters: 'GET Viewer',
      getHarvester: 'GET Viewer',
      revokeHarvester: 'POST Admin',
      setHarvesterLabels: 'POST Admin',
      deleteHarvester: 'DELETE Admin',
      createVncSession: 'POST Editor',
      createTerminalSession: 'POST Admin',
      resumeTerminalSession: 'POST Admin',
      joinTerminalSession: 'POST Admin',
      joinVncSession: 'POST Editor',
      listSessions: 'GET Editor',
      listLiveSessions: 'GET Editor',
      endSession: 'POST Admin',
      getRecording: 'GET Admin',
      listEnrollmentTokens: 'GET Admin',
      createEnrollmentToken: 'POST Admin',
      revokeEnrollmentToken: 'DELETE Admin',
      getReleases: 'GET Viewer',
    },
  );
});

test('no route lets a method through that nester does not offer there', () => {
  const user = makeUser('admin', 'Admin');
  expect(chooseRoute(routes, 'PUT', 'api/v1/harvesters/h_1', user).route).toBeUndefined();
  expect(chooseRoute(routes, 'PUT', 'api/v1/sessions/terminal', user).route).toBeUndefined();
  expect(chooseRoute(routes, 'GET', 'api/v1/sessions/terminal', user).route).toBeUndefined();
  expect(chooseRoute(routes, 'GET', 'api/v1/unknown', user).route).toBeUndefined();
});

test('path parameters are URL-encoded and required', () => {
  expect(operationPath('getHarvester', { id: 'a/b c' })).toBe('api/v1/harvesters/a%2Fb%20c');
  expect(() => operationPath('getHarvester', {})).toThrow(/missing path parameter id/);
});
