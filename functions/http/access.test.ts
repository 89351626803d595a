// The access rule itself, without the stack: how a principal's credential is classified, and
// that every mounted route declares an access the middleware can enforce (test/api/auth-matrix
// calls each of them through the local API Gateway).
import { describe, expect, it } from 'vitest';
import type { Principal } from '#domain/identity/principal.ts';
import { accessRefusal, credentialKind } from './access.ts';
import { ROUTE_GROUPS } from './route-groups.ts';

const member = (kind: Principal['kind'], role: Principal['role']): Principal => ({
  orgId: 'org-1',
  role,
  kind,
  credentialId: 'c',
  sensor: false,
  ...(kind === 'api_key' ? {} : { userId: 'usr-1' }),
});
const sensorKey: Principal = { orgId: 'org-1', role: 'developer', kind: 'api_key', credentialId: 'ak-1', sensor: true };
const taskKey: Principal = { ...sensorKey, scanId: 'scn-1' };

describe('credentialKind', () => {
  it('tells a member key, a sensor key and a scanner task key apart, although all three are API keys', () => {
    expect([member('session', 'viewer'), member('pat', 'viewer'), member('api_key', 'viewer'), sensorKey, taskKey].map(credentialKind)).toEqual([
      'session',
      'pat',
      'api_key',
      'sensor_key',
      'task',
    ]);
  });
});

describe('accessRefusal', () => {
  const developers = { minRole: 'developer', credentials: ['session', 'api_key'] } as const;

  it('allows an accepted credential with at least the minimum role', () => {
    expect(accessRefusal(developers, member('session', 'developer'))).toBeUndefined();
    expect(accessRefusal(developers, member('api_key', 'owner'))).toBeUndefined();
  });

  it('refuses a role below the minimum, and a credential kind the route does not list whatever its role', () => {
    expect(accessRefusal(developers, member('session', 'viewer'))).toBe('This action requires the developer role');
    expect(accessRefusal(developers, member('pat', 'owner'))).toBe('This endpoint accepts only sessions or API keys, not personal access tokens');
    expect(accessRefusal(developers, sensorKey)).toMatch(/not sensor-scoped API keys$/);
  });

  it('applies no role to scanner credentials, but tells a sensor key from a task key', () => {
    expect(accessRefusal({ credentials: ['sensor_key', 'task'] }, { ...sensorKey, role: 'viewer' })).toBeUndefined();
    expect(accessRefusal({ credentials: ['task'] }, sensorKey)).toBe('This endpoint accepts only scanner task keys, not sensor-scoped API keys');
    expect(accessRefusal({ credentials: ['task'] }, taskKey)).toBeUndefined();
  });
});

describe('every mounted route', () => {
  const routes = ROUTE_GROUPS.flatMap((group) => group.routes.map((route) => ({ name: `${route.method} ${route.resource}`, route })));

  // The type makes `access` required; this holds the same for a route built past the compiler (a cast, plain JavaScript).
  it.each(routes)('$name declares which credentials it accepts, or that it is public', ({ route }) => {
    const access = route.access as { credentials?: unknown[]; public?: boolean } | undefined;
    expect(access?.public === true || (access?.credentials?.length ?? 0) > 0).toBe(true);
  });
});
