import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from '#shared/validation.ts';
import { sqsBatchHandler } from './sqs-batch-handler.ts';

const schema = z.object({ orgId: z.string(), n: z.number() });
const batch = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body }) as SQSEvent['Records'][number]) });

describe('sqsBatchHandler', () => {
  it('with `concurrent`, handles every record at once: the first waits on something only the second does', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handler = sqsBatchHandler({
      what: 'test',
      schema,
      concurrent: true,
      handle: async ({ n }) => (n === 1 ? released : release()),
    });
    await expect(handler(batch('{"orgId":"o","n":1}', '{"orgId":"o","n":2}'))).resolves.toEqual({ batchItemFailures: [] });
  });

  it('handles records in order by default, reports the failed ones and drops malformed ones', async () => {
    const seen: number[] = [];
    const handler = sqsBatchHandler({
      what: 'test',
      schema,
      onFailure: () => undefined,
      handle: async ({ n }) => {
        seen.push(n);
        if (n === 2) throw new Error('boom');
      },
    });
    const result = await handler(batch('{"orgId":"o","n":1}', '{"orgId":"o","n":2}', 'not json', '{"orgId":"o","n":3}'));
    expect(seen).toEqual([1, 2, 3]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });
});
