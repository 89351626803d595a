// Amazon ECR: ECR has no webhooks; it emits EventBridge events, and a rule whose target is an
// EventBridge API destination posts each one here as is: {"version":"0","id","detail-type":"ECR Image
// Action","source":"aws.ecr","account","time","region","detail":{"result":"SUCCESS","repository-name",
// "image-digest","action-type":"PUSH","image-tag"}}. Only successful pushes count; deletes, failures
// and ECR's other events (scans, pull-through cache, replication) are passed over, and so is a push
// with no image-tag. The registry is <account>.dkr.ecr.<region>.amazonaws.com (.com.cn in China). An
// API destination authenticates through its connection; an API-key connection sends a header of the
// operator's choosing, here `X-HarborGuard-Token: <secret>`. EventBridge keeps the event's `id` on retries.
import * as z from '#shared/validation.ts';
import { fields, ignored, jsonBody, pushedImage, quoted, sameSecret, UNTAGGED, validated } from './provider.ts';
import type { RegistryProvider } from './provider.ts';

const event = z.looseObject({
  id: fields.eventId,
  'detail-type': fields.text(128),
  source: fields.text(128),
  account: z.string().check(z.regex(/^[0-9]{12}$/, 'must be a 12-digit AWS account id')),
  region: z.string().check(z.regex(/^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/, 'must be an AWS region such as us-east-1')),
  detail: z.looseObject({ result: z.optional(fields.text(32)), 'action-type': z.optional(fields.text(32)) }),
});
const push = z.looseObject({
  'repository-name': fields.repository,
  'image-digest': fields.digest,
  'image-tag': z.optional(z.union([z.literal(''), fields.tag])),
});

export const ecrProvider: RegistryProvider = {
  kind: 'ecr',
  title: 'Amazon ECR (EventBridge API destination)',
  authentication: 'The header `X-HarborGuard-Token: <secret>`, sent by the API-key connection of an EventBridge API destination.',
  authenticate: (request, secret) => sameSecret(request.headers['x-harborguard-token'], secret),
  parse: (request) => {
    const e = validated(event, jsonBody(request.body), 'an EventBridge event');
    if (e.source !== 'aws.ecr' || e['detail-type'] !== 'ECR Image Action')
      return ignored(`${quoted(e.source)} ${quoted(e['detail-type'])} events start no scan`);
    const { result, 'action-type': action } = e.detail;
    if (action !== 'PUSH') return ignored(`ECR ${quoted(action ?? '(none)')} image actions start no scan`);
    if (result !== 'SUCCESS') return ignored(`The ECR push did not succeed (${quoted(result ?? '(none)')})`);
    const detail = validated(push, e.detail, 'an ECR image push event', 'detail');
    if (!detail['image-tag']) return ignored(`The ECR image was pushed ${UNTAGGED}`);
    const host = `${e.account}.dkr.ecr.${e.region}.amazonaws.com${e.region.startsWith('cn-') ? '.cn' : ''}`;
    const image = pushedImage('detail', { host, repository: detail['repository-name'], tag: detail['image-tag'], digest: detail['image-digest'] });
    return { kind: 'push', eventId: e.id, images: [image] };
  },
};
