// What each HTTP route group's Lambda may touch, and how big it is. A route group added to
// functions/http/route-groups.ts without a line here fails the synth: access is never implied.
import { Duration } from 'aws-cdk-lib';
import type { Access } from './constructs/access.ts';

export interface RouteGroupSettings {
  access: Access[];
  memorySize?: number;
  timeout?: Duration;
}

const IDENTITY: Access[] = ['table', 'session-secret'];

export const ROUTE_ACCESS: Record<string, RouteGroupSettings> = {
  // List/get/status read the table and the artifact object; submit queues; delete removes both.
  scans: { access: [...IDENTITY, 'artifacts:read', 'artifacts:delete', 'queue:send'], memorySize: 1024 },
  // An envelope may be 64 MB once gunzipped: memory for parsing it, and API Gateway's full 29 s.
  'scan-upload': { access: [...IDENTITY, 'artifacts:write'], memorySize: 2048, timeout: Duration.seconds(29) },
  'api-keys': { access: IDENTITY },
  'personal-access-tokens': { access: IDENTITY },
  members: { access: IDENTITY },
};

export function routeGroupSettings(name: string): RouteGroupSettings {
  const settings = ROUTE_ACCESS[name];
  if (!settings) throw new Error(`infra/route-access.ts: route group ${name} has no access declared`);
  return settings;
}
