// The local equivalent of "the advisory updater published a snapshot" (in AWS: the S3 object
// event, through EventBridge, onto the watch queue: infra/stacks/stateful-stack.ts). The snapshot
// file local scanner tasks read (HARBORGUARD_DB) is published to the stack's bucket whenever its
// content changes, and the published object is watched: a new one (from this file, or from
// `harborguard db update --publish s3://<bucket>/<key>`) puts a run to plan on the watch queue,
// with the same message the rule sends. Polling, not fs events: they are unreliable on network
// and container file systems, and a check costs one stat and one HEAD.
import { stat } from 'node:fs/promises';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { PlanRequest } from '../functions/domain/watch/rematch-run.ts';
import { snapshotHeader } from '../shared/matching/snapshot-reader.ts';
import { publishSnapshot } from '../scanner-task/snapshot-store/s3-snapshot-publisher.ts';

export interface SnapshotWatch {
  /** One check now: publish the file if it changed, and plan a run if the published object changed. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

export function startSnapshotWatch(options: { file?: string; intervalMs?: number } = {}): SnapshotWatch {
  const bucket = process.env.ARTIFACT_BUCKET!;
  const key = process.env.ADVISORY_SNAPSHOT_OBJECT!;
  const s3 = new S3Client({});
  const sqs = new SQSClient({});
  let fileVersion: string | undefined;
  let published: string | undefined;

  async function publishFile(): Promise<void> {
    if (!options.file) return;
    const info = await stat(options.file).catch(() => undefined);
    const version = info ? `${info.size}:${info.mtimeMs}` : undefined;
    if (!version || version === fileVersion) return;
    // A file half written by `db build` has no readable header yet: the next check publishes it.
    const header = await snapshotHeader(options.file).catch(() => undefined);
    if (!header) return;
    await publishSnapshot(s3, { bucket, key }, options.file, header);
    fileVersion = version;
  }

  async function planOnNewObject(): Promise<void> {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    if (!head?.ETag || head.ETag === published) return;
    const request: PlanRequest = {
      kind: 'plan',
      requestId: `${key}@${head.ETag}`,
      requestedAt: (head.LastModified ?? new Date()).toISOString(),
      trigger: { kind: 'snapshot' },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.WATCH_QUEUE_URL!, MessageBody: JSON.stringify(request) }));
    published = head.ETag;
  }

  let checking: Promise<void> = Promise.resolve();
  const check = () =>
    (checking = checking
      .then(publishFile)
      .then(planOnNewObject)
      .catch((error: Error) => void process.stderr.write(`harborguard: advisory snapshot watch: ${error.message}\n`)));
  const timer = setInterval(() => void check(), options.intervalMs ?? 2000);
  void check();
  return {
    check,
    async stop() {
      clearInterval(timer);
      await checking;
    },
  };
}
