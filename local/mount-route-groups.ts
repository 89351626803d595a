// Loads each route group's Lambda handler module, exactly as Lambda would import it.
import { ROUTE_GROUPS } from '../functions/http/route-groups.ts';
import type { MountedGroup } from './api-gateway-server.ts';

export async function mountRouteGroups(): Promise<MountedGroup[]> {
  return Promise.all(
    ROUTE_GROUPS.map(async (group) => {
      const module = (await import(/* @vite-ignore */ `../functions/http/${group.entry}`)) as { handler: MountedGroup['handler'] };
      return { group, handler: module.handler };
    }),
  );
}
