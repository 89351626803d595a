// Sending many messages to one queue: SendMessageBatch takes at most 10, and a batch can be
// accepted in part, so every refused entry fails the call with SQS's reason.
import type { SQS } from '@aws-sdk/client-sqs';

const SQS_BATCH_LIMIT = 10;

export async function sendInBatches(client: SQS, queueUrl: string, messages: readonly unknown[], what: string): Promise<void> {
  for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) {
    const batch = messages.slice(i, i + SQS_BATCH_LIMIT);
    const result = await client.sendMessageBatch({
      QueueUrl: queueUrl,
      Entries: batch.map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) })),
    });
    if (result.Failed && result.Failed.length > 0) {
      throw new Error(`The ${what} refused ${result.Failed.length} message(s): ${result.Failed[0]!.Message ?? result.Failed[0]!.Code}`);
    }
  }
}
