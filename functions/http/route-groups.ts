// Every HTTP route group, listed once: the local server and the CDK stack both read this.
// Each group is one Lambda function (its `entry` module exports `handler` and `routes`).
import { routes as apiKeys } from './api-keys/handler.ts';
import { routes as hooks } from './hooks/handler.ts';
import { routes as images } from './images/handler.ts';
import { routes as integrations } from './integrations/handler.ts';
import { routes as members } from './members/handler.ts';
import { routes as personalAccessTokens } from './personal-access-tokens/handler.ts';
import { routes as registries } from './registries/handler.ts';
import { routes as meta } from './meta/handler.ts';
import type { AnyRoute } from './route.ts';
import { routes as scanRawOutputs } from './scan-raw-outputs/handler.ts';
import { routes as scanSbom } from './scan-sbom/handler.ts';
import { routes as scanUpload } from './scan-upload/handler.ts';
import { routes as scans } from './scans/handler.ts';
import { routes as triage } from './triage/handler.ts';
import { routes as vulnerabilities } from './vulnerabilities/handler.ts';
import { routes as watch } from './watch/handler.ts';
import { routes as webhooks } from './webhooks/handler.ts';

export interface RouteGroup {
  name: string;
  /** The handler module, relative to functions/http/. */
  entry: string;
  routes: readonly AnyRoute[];
}

export const ROUTE_GROUPS: RouteGroup[] = [
  { name: 'scans', entry: 'scans/handler.ts', routes: scans },
  { name: 'scan-sbom', entry: 'scan-sbom/handler.ts', routes: scanSbom },
  { name: 'scan-raw-outputs', entry: 'scan-raw-outputs/handler.ts', routes: scanRawOutputs },
  { name: 'scan-upload', entry: 'scan-upload/handler.ts', routes: scanUpload },
  { name: 'api-keys', entry: 'api-keys/handler.ts', routes: apiKeys },
  { name: 'personal-access-tokens', entry: 'personal-access-tokens/handler.ts', routes: personalAccessTokens },
  { name: 'members', entry: 'members/handler.ts', routes: members },
  { name: 'triage', entry: 'triage/handler.ts', routes: triage },
  { name: 'registries', entry: 'registries/handler.ts', routes: registries },
  { name: 'webhooks', entry: 'webhooks/handler.ts', routes: webhooks },
  { name: 'integrations', entry: 'integrations/handler.ts', routes: integrations },
  { name: 'hooks', entry: 'hooks/handler.ts', routes: hooks },
  { name: 'images', entry: 'images/handler.ts', routes: images },
  { name: 'vulnerabilities', entry: 'vulnerabilities/handler.ts', routes: vulnerabilities },
  { name: 'watch', entry: 'watch/handler.ts', routes: watch },
  { name: 'meta', entry: 'meta/handler.ts', routes: meta },
];
