import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { formatImageReference, parseImageReference } from '#shared/image-reference/image-reference.ts';
import { PROVIDERS, providerOf } from './index.ts';
import { bodyEventId, PROVIDER_KINDS, type ParsedHook, type ProviderKind } from './provider.ts';
import { delivered as deliveredWith, fixture, fixtureBody, hook, PUSH_FIXTURES, sign } from './fixtures/requests.ts';

const SECRET = 'hg_hk_4f0c2a9b7e1d3c5a8f6b0e2d4c6a8e0f1b3d5f7a9c1e3b5d';
const WRONG = 'hg_hk_4f0c2a9b7e1d3c5a8f6b0e2d4c6a8e0f1b3d5f7a9c1e3b5e';

const delivered = (kind: ProviderKind, body: Buffer | string | object, secret = SECRET, headers: Record<string, string> = {}) =>
  deliveredWith(kind, body, secret, headers);

const parse = (kind: ProviderKind, body: Buffer | string | object, headers: Record<string, string> = {}): ParsedHook =>
  providerOf(kind).parse(delivered(kind, body, SECRET, headers));
const pushOf = (hooked: ParsedHook) => {
  if (hooked.kind !== 'push') throw new Error(`expected a push, got ignored: ${hooked.reason}`);
  return hooked;
};
const reasonOf = (hooked: ParsedHook) => {
  if (hooked.kind !== 'ignored') throw new Error(`expected ignored, got a push of ${JSON.stringify(hooked.images)}`);
  return hooked.reason;
};
const refusal = (run: () => unknown): ValidationError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
};

/** Where each provider's push fixture (PUSH_FIXTURES) puts its repository name. */
const PUSH: Record<ProviderKind, { withRepository: (payload: any, name: string) => void }> = {
  distribution: { withRepository: (p, name) => (p.events[2].target.repository = name) },
  harbor: {
    withRepository: (p, name) => {
      p.event_data.repository.repo_full_name = name;
      p.event_data.resources[0].resource_url = `harbor.example.com/${name}:2.3.0`;
    },
  },
  dockerhub: { withRepository: (p, name) => (p.repository.repo_name = name) },
  github: { withRepository: (p, name) => (p.registry_package.name = name) },
  gitlab: { withRepository: (p, name) => (p.events[1].target.repository = name) },
  quay: {
    withRepository: (p, name) => {
      p.repository = name;
      p.docker_url = `quay.io/${name}`;
    },
  },
  ecr: { withRepository: (p, name) => (p.detail['repository-name'] = name) },
};
const pushBody = (kind: ProviderKind) => fixture(kind, PUSH_FIXTURES[kind]);

describe('the provider list', () => {
  it('has one provider per kind, under its own kind, described for the docs', () => {
    expect(Object.keys(PROVIDERS).sort()).toEqual([...PROVIDER_KINDS].sort());
    for (const kind of PROVIDER_KINDS) {
      expect(providerOf(kind)).toBe(PROVIDERS[kind]);
      expect(PROVIDERS[kind].kind).toBe(kind);
      expect(PROVIDERS[kind].title.length).toBeGreaterThan(3);
      expect(PROVIDERS[kind].authentication).toMatch(/secret/);
    }
  });
});

describe.each(PROVIDER_KINDS)('%s authentication', (kind) => {
  const provider = PROVIDERS[kind];
  const body = fixtureBody(kind, PUSH_FIXTURES[kind]);

  it('accepts the right secret', () => {
    expect(provider.authenticate(delivered(kind, body, SECRET), SECRET)).toBe(true);
  });
  it('refuses a wrong secret', () => {
    expect(provider.authenticate(delivered(kind, body, WRONG), SECRET)).toBe(false);
  });
  it('refuses a request that presents none', () => {
    expect(provider.authenticate(hook(body, { 'content-type': 'application/json' }), SECRET)).toBe(false);
  });
  it('refuses the secret presented some other provider’s way', () => {
    const elsewhere = [
      hook(body, { authorization: `Bearer ${SECRET}` }),
      hook(body, { authorization: SECRET }),
      hook(body, {}, { token: SECRET }),
      hook(body, { 'x-gitlab-token': SECRET }),
      hook(body, { 'x-harborguard-token': SECRET }),
      hook(body, { 'x-hub-signature-256': sign(body, SECRET) }),
    ];
    const accepted = elsewhere.filter((request) => provider.authenticate(request, SECRET));
    // Harbor takes both forms of Authorization; every other provider exactly one presentation.
    expect(accepted).toHaveLength(kind === 'harbor' ? 2 : 1);
  });
});

describe('authentication details', () => {
  it('distribution: the Bearer scheme is case-insensitive, the token is not a prefix match', () => {
    const body = fixtureBody('distribution', 'push');
    expect(PROVIDERS.distribution.authenticate(hook(body, { authorization: `bearer ${SECRET}` }), SECRET)).toBe(true);
    expect(PROVIDERS.distribution.authenticate(hook(body, { authorization: `Bearer ${SECRET}x` }), SECRET)).toBe(false);
    expect(PROVIDERS.distribution.authenticate(hook(body, { authorization: `Basic ${SECRET}` }), SECRET)).toBe(false);
  });
  it('harbor: the Auth Header verbatim, or as a Bearer token', () => {
    const body = fixtureBody('harbor', 'push');
    expect(PROVIDERS.harbor.authenticate(hook(body, { authorization: SECRET }), SECRET)).toBe(true);
    expect(PROVIDERS.harbor.authenticate(hook(body, { authorization: `Bearer ${SECRET}` }), SECRET)).toBe(true);
    expect(PROVIDERS.harbor.authenticate(hook(body, { authorization: `Basic ${SECRET}` }), SECRET)).toBe(false);
  });
  it('github: the signature covers the exact bytes', () => {
    const body = fixtureBody('github', 'registry-package-published');
    const request = delivered('github', body);
    expect(PROVIDERS.github.authenticate({ ...request, body: Buffer.concat([body, Buffer.from(' ')]) }, SECRET)).toBe(false);
    expect(
      PROVIDERS.github.authenticate({ ...request, headers: { ...request.headers, 'x-hub-signature-256': sign(body, SECRET).replace('sha256=', '') } }, SECRET),
    ).toBe(false);
    expect(
      PROVIDERS.github.authenticate({ ...request, headers: { ...request.headers, 'x-hub-signature-256': sign(body, SECRET).toUpperCase() } }, SECRET),
    ).toBe(false);
  });
  it('an empty secret presented is refused', () => {
    expect(PROVIDERS.dockerhub.authenticate(hook('{}', {}, { token: '' }), SECRET)).toBe(false);
    expect(PROVIDERS.ecr.authenticate(hook('{}', { 'x-harborguard-token': '' }), SECRET)).toBe(false);
  });
});

describe('distribution', () => {
  it('reads the tagged manifest push of an envelope, passing over its layer and config pushes', () => {
    const pushed = pushOf(parse('distribution', pushBody('distribution')));
    expect(pushed.images).toEqual([
      {
        host: 'registry.example.com:5000',
        repository: 'acme/api',
        tag: '1.4.2',
        digest: 'sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51',
      },
    ]);
    expect(pushed.eventId).toMatch(/^events:[0-9a-f]{64}$/);
  });
  it('reads what Debian’s docker-registry 2.8 sent for `skopeo copy … docker://127.0.0.1:18098/acme/api:1.0`', () => {
    expect(parse('distribution', fixture('distribution', 'push-captured'))).toEqual({
      kind: 'push',
      eventId: 'd35794f0-c254-45b1-b909-752fd95d5cb4',
      images: [
        { host: '127.0.0.1:18098', repository: 'acme/api', tag: '1.0', digest: 'sha256:65855d7eaf01d6d664dfafe2cd651fd2cae08a09f7b9e259d960e7b5a4cdd925' },
      ],
    });
  });
  it('ignores what it sent for a push by digest, which names no tag', () => {
    expect(reasonOf(parse('distribution', fixture('distribution', 'push-by-digest-captured')))).toMatch(/manifest pushes without a tag/);
  });
  it('names the envelope by its events: the same on a redelivery, another for other events', () => {
    const first = pushOf(parse('distribution', pushBody('distribution')));
    const again = pushOf(parse('distribution', Buffer.from(JSON.stringify(pushBody('distribution'), null, 4))));
    expect(again.eventId).toBe(first.eventId);
    const other = pushBody('distribution');
    other.events[0].id = 'another-event-id';
    expect(pushOf(parse('distribution', other)).eventId).not.toBe(first.eventId);
  });
  it('an envelope of one event is named by its id', () => {
    const single = pushBody('distribution');
    single.events = [single.events[2]];
    expect(pushOf(parse('distribution', single)).eventId).toBe('2b3c8b9e-1f4a-4d2b-9c55-0d7a1f5e3a03');
  });
  it('of a multi-arch push, counts the tagged index, not its untagged platform manifests', () => {
    expect(pushOf(parse('distribution', fixture('distribution', 'push-multiarch'))).images).toEqual([
      {
        host: 'registry.internal.acme.io',
        repository: 'platform/base/debian',
        tag: 'bookworm-20260310',
        digest: 'sha256:1bc04b5291c26a46d918139138b992d2de976d6851d0893b0476b85bfbdfc6e6',
      },
    ]);
  });
  it('several tagged pushes are several images, the same one named twice is one', () => {
    const body = pushBody('distribution');
    const manifest = body.events[2];
    body.events.push(
      { ...manifest, id: 'e4', target: { ...manifest.target, tag: 'latest' } },
      { ...manifest, id: 'e5', target: { ...manifest.target, tag: 'latest' } },
      { ...manifest, id: 'e6', target: { ...manifest.target, repository: 'acme/worker', tag: '1.4.2' } },
    );
    expect(pushOf(parse('distribution', body)).images.map((i) => `${i.repository}:${i.tag}`)).toEqual([
      'acme/api:1.4.2',
      'acme/api:latest',
      'acme/worker:1.4.2',
    ]);
  });
  it('takes the host from the target url when the request names none', () => {
    const body = pushBody('distribution');
    delete body.events[2].request;
    expect(pushOf(parse('distribution', body)).images[0]!.host).toBe('registry.example.com:5000');
    delete body.events[2].target.url;
    expect(refusal(() => parse('distribution', body)).message).toMatch(/no registry host/);
  });
  it('lower-cases the host, as image references do', () => {
    const body = pushBody('distribution');
    body.events[2].request.host = 'Registry.Example.com:5000';
    expect(pushOf(parse('distribution', body)).images[0]!.host).toBe('registry.example.com:5000');
  });
  it.each([
    ['pull', 'pulls'],
    ['delete', 'deletes'],
  ])('ignores a %s envelope', (name, what) => {
    expect(reasonOf(parse('distribution', fixture('distribution', name)))).toMatch(new RegExp(`No tagged manifest push among 1 events \\(${what}\\)`));
  });
  it('ignores an envelope of layer pushes and untagged manifests, saying so', () => {
    const body = pushBody('distribution');
    delete body.events[2].target.tag;
    expect(reasonOf(parse('distribution', body))).toMatch(/blob pushes, manifest pushes without a tag/);
  });
  it('ignores an empty envelope', () => {
    expect(reasonOf(parse('distribution', { events: [] }))).toMatch(/no events/);
  });
  it.each([
    ['a host that is not one', 'registry example.com'],
    ['a host an image reference would read as a Docker Hub namespace', 'registry'],
    ['a port out of the grammar', 'registry.example.com:123456'],
  ])('refuses %s', (_, host) => {
    const body = pushBody('distribution');
    body.events[2].request.host = host;
    refusal(() => parse('distribution', body));
  });
  it.each([
    ['a tag that starts with a dash', { tag: '-rc1' }],
    ['a tag of 129 characters', { tag: 'a'.repeat(129) }],
    ['a digest cut short', { digest: 'sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258' }],
    ['a digest of an unknown algorithm', { digest: 'md5:d41d8cd98f00b204e9800998ecf8427e' }],
  ])('refuses a pushed manifest with %s, naming where', (_, change) => {
    const body = pushBody('distribution');
    Object.assign(body.events[2].target, change);
    const error = refusal(() => parse('distribution', body));
    expect(error.issues[0]!.path).toBe(`events[2].target.${Object.keys(change)[0]}`);
  });
});

describe('harbor', () => {
  it('reads a push in the Default payload format, the host from resource_url, named by its body', () => {
    const body = fixtureBody('harbor', 'push');
    const pushed = pushOf(PROVIDERS.harbor.parse(delivered('harbor', body)));
    expect(pushed.images).toEqual([
      {
        host: 'harbor.example.com',
        repository: 'acme/payments/api',
        tag: '2.3.0',
        digest: 'sha256:c1d64b2d4cb30f1be788cc4d246ddd9fc1fe85a3eb3a85a3de33829dfaf6ce7d',
      },
    ]);
    expect(pushed.eventId).toBe(bodyEventId(body));
  });
  it('reads a push in the CloudEvents format, named by the event id', () => {
    const pushed = pushOf(parse('harbor', fixture('harbor', 'push-cloudevents')));
    expect(pushed).toEqual({
      kind: 'push',
      eventId: '66e18103-09c1-41f6-982f-37df223f3eeb',
      images: [
        {
          host: 'harbor.example.com:8443',
          repository: 'library/nginx',
          tag: 'stable',
          digest: 'sha256:878235d38b1cb83447931b5849d84d48931b393019fdfc855a2f8d33c9763b3c',
        },
      ],
    });
  });
  it('one image per tagged resource', () => {
    const body = pushBody('harbor');
    const [resource] = body.event_data.resources;
    body.event_data.resources.push({ ...resource, tag: 'latest', resource_url: 'harbor.example.com/acme/payments/api:latest' }, { ...resource, tag: '' });
    expect(pushOf(parse('harbor', body)).images.map((i) => i.tag)).toEqual(['2.3.0', 'latest']);
  });
  it.each(['pull', 'delete'])('ignores a %s', (name) => {
    expect(reasonOf(parse('harbor', fixture('harbor', name)))).toMatch(/Harbor "(PULL|DELETE)_ARTIFACT" events start no scan/);
  });
  it('ignores the other event types, whatever their data', () => {
    expect(reasonOf(parse('harbor', { type: 'SCANNING_COMPLETED', occur_at: 1, operator: 'auto', event_data: { scan_overview: {} } }))).toMatch(
      /SCANNING_COMPLETED/,
    );
  });
  it('ignores a push of untagged artifacts only', () => {
    const body = pushBody('harbor');
    body.event_data.resources[0].tag = '';
    expect(reasonOf(parse('harbor', body))).toMatch(/without a tag/);
  });
  it('refuses a resource_url that names another repository than the event', () => {
    const body = pushBody('harbor');
    body.event_data.resources[0].resource_url = 'harbor.example.com/acme/other:2.3.0';
    expect(refusal(() => parse('harbor', body)).issues[0]!.path).toBe('event_data.resources[0].resource_url');
  });
  it('refuses a push whose event_data is missing', () => {
    expect(refusal(() => parse('harbor', { type: 'PUSH_ARTIFACT', occur_at: 1 })).issues[0]!.path).toMatch(/^event_data/);
  });
});

describe('dockerhub', () => {
  it('reads the pushed tag on docker.io, no digest, named by its body', () => {
    const body = fixtureBody('dockerhub', 'push');
    expect(PROVIDERS.dockerhub.parse(delivered('dockerhub', body))).toEqual({
      kind: 'push',
      eventId: bodyEventId(body),
      images: [{ host: 'docker.io', repository: 'svendowideit/testhook', tag: 'latest', digest: null }],
    });
  });
  it('reads an official image named without its library/ namespace as library/<name>', () => {
    expect(pushOf(parse('dockerhub', fixture('dockerhub', 'push-official'))).images).toEqual([
      { host: 'docker.io', repository: 'library/nginx', tag: '1.27-alpine', digest: null },
    ]);
    const named = fixture('dockerhub', 'push-official');
    named.repository.repo_name = 'library/nginx';
    expect(pushOf(parse('dockerhub', named)).images[0]!.repository).toBe('library/nginx');
  });
  it('ignores a push that names no tag', () => {
    const body = pushBody('dockerhub');
    body.push_data.tag = '';
    expect(reasonOf(parse('dockerhub', body))).toMatch(/no tag/);
  });
});

describe('github', () => {
  it('reads a published container version: ghcr.io/<owner>/<name>, lower-cased, named by the delivery', () => {
    const pushed = parse('github', fixture('github', 'registry-package-published'), { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
    expect(pushed).toEqual({
      kind: 'push',
      eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      images: [
        {
          host: 'ghcr.io',
          repository: 'acme-corp/payments-api',
          tag: 'v1.4.2',
          digest: 'sha256:f06bcb1bf6bb199c626be852bc35fd5c6a558a3079e718f4db8bed6e250592ae',
        },
      ],
    });
  });
  it('without a delivery id, is named by its body', () => {
    const body = fixtureBody('github', 'registry-package-published');
    expect(pushOf(PROVIDERS.github.parse(delivered('github', body))).eventId).toBe(bodyEventId(body));
  });
  it('reads the older package event and the updated action alike', () => {
    const pushed = pushOf(parse('github', fixture('github', 'package-published'), { 'x-github-event': 'package' }));
    expect(pushed.images).toEqual([
      {
        host: 'ghcr.io',
        repository: 'acme-corp/payments-api',
        tag: 'v1.4.2',
        digest: 'sha256:f06bcb1bf6bb199c626be852bc35fd5c6a558a3079e718f4db8bed6e250592ae',
      },
    ]);
    const updated = fixture('github', 'registry-package-published');
    updated.action = 'updated';
    expect(pushOf(parse('github', updated)).images).toHaveLength(1);
  });
  it('ignores a ping', () => {
    expect(reasonOf(parse('github', fixture('github', 'ping'), { 'x-github-event': 'ping' }))).toMatch(/ping/);
  });
  it('ignores other packages than containers', () => {
    expect(reasonOf(parse('github', fixture('github', 'registry-package-npm')))).toMatch(/"npm" package is not a container image/);
  });
  it('ignores the untagged platform manifests of a multi-arch push', () => {
    expect(reasonOf(parse('github', fixture('github', 'registry-package-untagged')))).toMatch(/without a tag/);
  });
  it('ignores other events and actions', () => {
    expect(reasonOf(parse('github', { ref: 'refs/heads/main' }, { 'x-github-event': 'push' }))).toMatch(/GitHub "push" events start no scan/);
    const deleted = fixture('github', 'registry-package-published');
    deleted.action = 'deleted';
    expect(reasonOf(parse('github', deleted))).toMatch(/"deleted"/);
  });
  it('refuses a delivery without X-GitHub-Event, and a ping that is not JSON', () => {
    const body = fixtureBody('github', 'registry-package-published');
    refusal(() => PROVIDERS.github.parse(hook(body, { 'x-hub-signature-256': sign(body, SECRET) })));
    refusal(() => parse('github', 'zen', { 'x-github-event': 'ping' }));
  });
  it('refuses a container version without its tag metadata', () => {
    const body = fixture('github', 'registry-package-published');
    delete body.registry_package.package_version.container_metadata;
    expect(refusal(() => parse('github', body)).issues[0]!.path).toBe('registry_package.package_version.container_metadata.tag');
  });
});

describe('gitlab', () => {
  it('reads the registry’s distribution envelope, the host the client pushed to', () => {
    const pushed = pushOf(parse('gitlab', fixture('gitlab', 'registry-push')));
    expect(pushed.images).toEqual([
      {
        host: 'registry.gitlab.example.com',
        repository: 'acme/backend/worker',
        tag: 'main-4f2a9c1e',
        digest: 'sha256:9d96d9d5b1addd7e7e6119a23b1e5b5f68545312bfecb21d1cdc6af22b8628b8',
      },
    ]);
    expect(pushed.eventId).toBe(pushOf(parse('distribution', fixture('gitlab', 'registry-push'))).eventId);
  });
  it('is named by X-Gitlab-Event-UUID when there is one', () => {
    const uuid = '13792a34-cac6-4fda-95a8-c58e00a3954e';
    expect(pushOf(parse('gitlab', fixture('gitlab', 'registry-push'), { 'x-gitlab-event-uuid': uuid })).eventId).toBe(uuid);
    refusal(() => parse('gitlab', fixture('gitlab', 'registry-push'), { 'x-gitlab-event-uuid': 'not an id' }));
  });
  it('ignores GitLab’s own webhooks, which announce no image pushes', () => {
    expect(reasonOf(parse('gitlab', fixture('gitlab', 'push-hook'), { 'x-gitlab-event': 'Push Hook' }))).toMatch(
      /GitLab "Push Hook" webhooks announce no image pushes/,
    );
  });
  it('ignores envelopes of pulls', () => {
    expect(reasonOf(parse('gitlab', fixture('distribution', 'pull')))).toMatch(/pulls/);
  });
});

describe('quay', () => {
  it('reads one image per updated tag on the host docker_url names, named by its body', () => {
    const body = fixtureBody('quay', 'repo-push');
    expect(PROVIDERS.quay.parse(delivered('quay', body))).toEqual({
      kind: 'push',
      eventId: bodyEventId(body),
      images: [
        { host: 'quay.io', repository: 'acme/api', tag: 'v3.1.0', digest: null },
        { host: 'quay.io', repository: 'acme/api', tag: 'latest', digest: null },
      ],
    });
  });
  it('reads a self-hosted Quay’s host and port', () => {
    expect(pushOf(parse('quay', fixture('quay', 'repo-push-self-hosted'))).images).toEqual([
      { host: 'quay.internal.acme.io:8443', repository: 'platform/web', tag: '2026.03.10', digest: null },
    ]);
  });
  it('reads the legacy updated_tags map', () => {
    expect(pushOf(parse('quay', fixture('quay', 'repo-push-legacy'))).images).toEqual([
      { host: 'quay.io', repository: 'devtable/ubuntu', tag: 'latest', digest: null },
    ]);
  });
  it('ignores other repository events', () => {
    expect(reasonOf(parse('quay', fixture('quay', 'build-queued')))).toMatch(/names no updated tags/);
  });
  it('refuses a docker_url of another repository, and a tag out of the grammar', () => {
    const other = pushBody('quay');
    other.docker_url = 'quay.io/acme/other';
    expect(refusal(() => parse('quay', other)).issues[0]!.path).toBe('docker_url');
    const badTag = pushBody('quay');
    badTag.updated_tags = ['latest', '../x'];
    expect(refusal(() => parse('quay', badTag)).issues[0]!.path).toBe('updated_tags[1]');
  });
});

describe('ecr', () => {
  it('reads a successful push: <account>.dkr.ecr.<region>.amazonaws.com, named by the event id', () => {
    expect(parse('ecr', fixture('ecr', 'push'))).toEqual({
      kind: 'push',
      eventId: '13cde686-328b-6117-af20-0e5566167482',
      images: [
        {
          host: '123456789012.dkr.ecr.us-west-2.amazonaws.com',
          repository: 'team-a/checkout',
          tag: 'release-2026.03.10',
          digest: 'sha256:02915c173f5b5238c520514331165c9c1e1d2a5a6d088b612fd675a5f265a853',
        },
      ],
    });
  });
  it('names China regions’ registries under amazonaws.com.cn', () => {
    expect(pushOf(parse('ecr', fixture('ecr', 'push-china'))).images[0]!.host).toBe('210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn');
  });
  it('ignores deletes, failures, untagged pushes and ECR’s other events', () => {
    expect(reasonOf(parse('ecr', fixture('ecr', 'delete')))).toMatch(/"DELETE" image actions/);
    expect(reasonOf(parse('ecr', fixture('ecr', 'push-untagged')))).toMatch(/without a tag/);
    expect(reasonOf(parse('ecr', fixture('ecr', 'scan')))).toMatch(/"ECR Image Scan" events start no scan/);
    const failed = pushBody('ecr');
    failed.detail.result = 'FAILURE';
    expect(reasonOf(parse('ecr', failed))).toMatch(/did not succeed/);
    const other = pushBody('ecr');
    other.source = 'aws.s3';
    expect(reasonOf(parse('ecr', other))).toMatch(/"aws.s3"/);
  });
  it('refuses the truncated digest of AWS’s own documentation example, and an account that is not one', () => {
    const truncated = pushBody('ecr');
    truncated.detail['image-digest'] = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234';
    expect(refusal(() => parse('ecr', truncated)).issues[0]!.path).toBe('detail.image-digest');
    const account = pushBody('ecr');
    account.account = '1234.evil.example.com/x';
    expect(refusal(() => parse('ecr', account)).issues[0]!.path).toBe('account');
  });
});

describe.each(PROVIDER_KINDS)('%s refuses malformed bodies', (kind) => {
  it.each([
    ['not JSON', 'this is not json'],
    ['truncated JSON', '{"events": ['],
    ['empty', ''],
  ])('%s', (_, body) => {
    expect(refusal(() => parse(kind, body)).message).toMatch(/not JSON/);
  });

  it.each([
    ['null', null],
    ['an array', [1, 2, 3]],
    ['a string', 'push'],
    ['an empty object', {}],
  ])('JSON of the wrong shape: %s', (_, value) => {
    refusal(() => parse(kind, JSON.stringify(value)));
  });

  it.each([
    ['a path that climbs', '../../etc/passwd'],
    ['an empty component', 'acme//api'],
    ['a trailing slash', 'acme/api/'],
    ['a tag smuggled in', 'acme/api:latest'],
    ['a digest smuggled in', 'acme/api@sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51'],
    ['a component starting with a separator', 'acme/-api'],
    ['white space', 'acme/ api'],
    ['a control character', 'acme/api\n'],
    ['non-ASCII letters', 'acmé/api'],
    ['a huge name', `acme/${'a'.repeat(300)}`],
    ['a huge nested path', `${'a/'.repeat(200)}a`],
  ])('a repository name with %s', (_, name) => {
    const body = pushBody(kind);
    PUSH[kind].withRepository(body, name);
    refusal(() => parse(kind, body));
  });
});

describe.each(PROVIDER_KINDS.filter((kind) => kind !== 'github'))('%s refuses an upper-case repository name', (kind) => {
  it('as the registry never sends one', () => {
    const body = pushBody(kind);
    PUSH[kind].withRepository(body, 'Acme/API');
    refusal(() => parse(kind, body));
  });
});

describe('upper case in GitHub names', () => {
  it('is lower-cased, as ghcr.io names the image', () => {
    const body = fixture('github', 'registry-package-published');
    body.registry_package.name = 'Payments-API';
    expect(pushOf(parse('github', body)).images[0]!.repository).toBe('acme-corp/payments-api');
  });
});

describe('bounded work', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => i);
  it.each([
    ['distribution', (n: number) => ({ events: many(n).map((i) => ({ ...pushBody('distribution').events[2], id: `e${i}` })) })],
    ['gitlab', (n: number) => ({ events: many(n).map((i) => ({ ...fixture('gitlab', 'registry-push').events[1], id: `e${i}` })) })],
    [
      'harbor',
      (n: number) => {
        const body = pushBody('harbor');
        body.event_data.resources = many(n).map((i) => ({
          ...body.event_data.resources[0],
          tag: `t${i}`,
          resource_url: `harbor.example.com/acme/payments/api:t${i}`,
        }));
        return body;
      },
    ],
    ['quay', (n: number) => ({ ...pushBody('quay'), updated_tags: many(n).map((i) => `t${i}`) })],
    ['quay', (n: number) => ({ ...pushBody('quay'), updated_tags: Object.fromEntries(many(n).map((i) => [`t${i}`, 'x'])) })],
  ] as const)('%s: 100 items are read, 101 refused', (kind, body) => {
    expect(pushOf(parse(kind, body(100))).images.length).toBeGreaterThan(0);
    expect(refusal(() => parse(kind, body(101))).message).toMatch(/Not /);
  });
});

describe('every image a provider reads is one an image reference names the same way', () => {
  it.each([
    ['distribution', 'push'],
    ['distribution', 'push-multiarch'],
    ['harbor', 'push'],
    ['harbor', 'push-cloudevents'],
    ['dockerhub', 'push'],
    ['dockerhub', 'push-official'],
    ['github', 'registry-package-published'],
    ['gitlab', 'registry-push'],
    ['quay', 'repo-push'],
    ['quay', 'repo-push-self-hosted'],
    ['ecr', 'push'],
    ['ecr', 'push-china'],
  ] as const)('%s %s', (kind, name) => {
    for (const image of pushOf(parse(kind, fixture(kind, name))).images) {
      const reference = formatImageReference({ registry: image.host, repository: image.repository, tag: image.tag, digest: image.digest });
      expect(parseImageReference(reference)).toEqual({ registry: image.host, repository: image.repository, tag: image.tag, digest: image.digest });
    }
  });
});
