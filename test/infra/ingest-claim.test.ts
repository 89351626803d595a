// An ingest claim must outlast every ingest that can hold it, or a second envelope could
// stage its results while the first is still writing (functions/domain/scans/ingest-envelope.ts).
import { expect, it } from 'vitest';
import { INGEST_CLAIM_MS } from '../../functions/domain/scans/ingest-envelope.ts';
import { ROUTE_ACCESS } from '../../infra/route-access.ts';
import { INGEST_QUEUE_CONSUMER_TIMEOUT } from '../../infra/stacks/stateful-stack.ts';

it('outlasts the upload route and the ingest job', () => {
  const uploadTimeout = ROUTE_ACCESS['scan-upload']?.timeout;
  expect(uploadTimeout).toBeDefined();
  expect(uploadTimeout?.toMilliseconds()).toBeLessThan(INGEST_CLAIM_MS);
  expect(INGEST_QUEUE_CONSUMER_TIMEOUT.toMilliseconds()).toBeLessThan(INGEST_CLAIM_MS);
});
