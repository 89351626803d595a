// GitLab container registry. What GitLab sends, from its documentation (docs.gitlab.com,
// "Configure container registry notifications" in the container registry administration guide, and
// "Webhook events"): project and group webhooks have no container registry event on gitlab.com or
// self-managed; their kinds (Push Hook, Tag Push Hook, Pipeline Hook, …, named by `X-Gitlab-Event`)
// describe Git and CI, not images. Pushes of images are announced only by the registry itself: GitLab's
// container registry is a fork of CNCF Distribution, and on self-managed GitLab `registry['notifications']`
// in gitlab.rb (or `notifications.endpoints` in the registry's config) makes it post the distribution
// envelope, {"events":[…]}, to any endpoint, with the headers configured there. GitLab's Rails app
// consumes the same feed at /api/v4/container_registry_event/events. GitLab.com exposes no such
// setting. So this provider reads the distribution envelope (distribution.ts), authenticated by an
// `X-Gitlab-Token: <secret>` header set in that endpoint's `headers`: the header GitLab webhooks send
// their secret token in, so a project webhook pointed here by mistake authenticates, and is answered
// that it carries no pushes. Registry notifications carry no X-Gitlab-Event-UUID; if one is present
// (a proxy adding it) it names the delivery, else the events' ids do.
import { envelopeHook, readEnvelope } from './distribution.ts';
import { fields, ignored, jsonBody, quoted, sameSecret, validated } from './provider.ts';
import type { RegistryProvider } from './provider.ts';

export const gitlabProvider: RegistryProvider = {
  kind: 'gitlab',
  title: 'GitLab container registry (self-managed, registry notifications)',
  authentication:
    "The header `X-Gitlab-Token: <secret>`, set in the `headers` of the registry’s notification endpoint (`registry['notifications']` in gitlab.rb).",
  authenticate: (request, secret) => sameSecret(request.headers['x-gitlab-token'], secret),
  parse: (request) => {
    const kind = request.headers['x-gitlab-event'];
    if (kind !== undefined) {
      jsonBody(request.body); // GitLab's webhooks are JSON: anything else is not from GitLab.
      return ignored(`GitLab ${quoted(kind)} webhooks announce no image pushes: configure the container registry's notifications to post here instead`);
    }
    const uuid = request.headers['x-gitlab-event-uuid'];
    const eventId = uuid === undefined ? undefined : validated(fields.eventId, uuid, 'a GitLab delivery', 'X-Gitlab-Event-UUID');
    return envelopeHook(readEnvelope(request.body, 'a GitLab container registry notification envelope'), eventId);
  },
};
