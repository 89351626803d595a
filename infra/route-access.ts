// What each HTTP route group's Lambda may touch, and how big it is. A route group added to
// functions/http/route-groups.ts without a line here deploys with the identity access every
// group needs (table, session secret) and a synth warning; test/infra flags it until declared.
import { Duration } from 'aws-cdk-lib';
import type { Access } from './constructs/access.ts';

export interface RouteGroupSettings {
  access: Access[];
  memorySize?: number;
  timeout?: Duration;
}

const IDENTITY: Access[] = ['table', 'session-secret'];

export const ROUTE_ACCESS: Record<string, RouteGroupSettings> = {
  // List/get/status read the table and the artifact object; submit queues; delete removes both;
  // cancel and delete stop the scan's task.
  // Cancel publishes scan.cancelled.
  scans: { access: [...IDENTITY, 'artifacts:read', 'artifacts:delete', 'queue:send', 'scanner:stop', 'webhook-queue:send'], memorySize: 1024 },
  // Reads the scan and its artifact object; nothing else.
  'scan-sbom': { access: [...IDENTITY, 'artifacts:read'] },
  // Reads the scan, and pre-signs GETs of its raw outputs: no other object of the bucket.
  'scan-raw-outputs': { access: [...IDENTITY, 'raw-outputs:read'] },
  // An envelope may be 64 MB once gunzipped: memory for parsing it, and API Gateway's full 29 s.
  // Large envelopes arrive through pre-signed S3 PUTs under uploads/ and are read back from there;
  // raw outputs through pre-signed PUTs under the scan's prefix (artifacts:write covers them).
  // Envelopes too large to ingest within the request wait under uploads/ for the ingest job.
  // Layer-cache entries are read and written by scanners through URLs pre-signed here (layer-cache/*).
  'scan-upload': {
    access: [...IDENTITY, 'artifacts:write', 'envelope-uploads', 'layer-cache', 'ingest-queue:send', 'webhook-queue:send'],
    memorySize: 2048,
    timeout: Duration.seconds(29),
  },
  'api-keys': { access: IDENTITY },
  'personal-access-tokens': { access: IDENTITY },
  members: { access: IDENTITY },
  triage: { access: IDENTITY },
  // Seals and opens registry passwords.
  registries: { access: [...IDENTITY, 'registry-key'] },
  // Seals webhook signing secrets with the same key; test events and redeliveries go on the webhook queue.
  webhooks: { access: [...IDENTITY, 'registry-key', 'webhook-queue:send'] },
  // Seals hook secrets with the same key, under their own context.
  integrations: { access: [...IDENTITY, 'registry-key'] },
  // Opens hook secrets and queues the scans pushes start; authenticates no API credential, so no session secret.
  hooks: { access: ['table', 'registry-key', 'queue:send'] },
  // Settings and runs are items of the table; a run started by hand goes on the watch queue.
  watch: { access: [...IDENTITY, 'watch-queue:send'] },
  // Reads the tag/image catalogue and the scans-by-tag index; nothing else.
  images: { access: IDENTITY },
  // Reads the vulnerability catalogue (and the catalogue of images, for the image filter); nothing else.
  vulnerabilities: { access: IDENTITY },
  // Public routes only (health, the OpenAPI document): they authenticate nobody, so not even IDENTITY.
  meta: { access: [] },
};

export function routeGroupSettings(name: string): RouteGroupSettings & { declared: boolean } {
  const settings = ROUTE_ACCESS[name];
  return settings ? { ...settings, declared: true } : { access: IDENTITY, declared: false };
}
