// The registry providers, each listed once: the hook endpoint and the integrations API find a
// provider by its kind here and know none by name. A kind of PROVIDER_KINDS without its provider
// fails to compile.
import { distributionProvider } from './distribution.ts';
import { dockerhubProvider } from './dockerhub.ts';
import { ecrProvider } from './ecr.ts';
import { githubProvider } from './github.ts';
import { gitlabProvider } from './gitlab.ts';
import { harborProvider } from './harbor.ts';
import type { ProviderKind, RegistryProvider } from './provider.ts';
import { quayProvider } from './quay.ts';

export const PROVIDERS: Record<ProviderKind, RegistryProvider> = {
  distribution: distributionProvider,
  harbor: harborProvider,
  dockerhub: dockerhubProvider,
  github: githubProvider,
  gitlab: gitlabProvider,
  quay: quayProvider,
  ecr: ecrProvider,
} satisfies Record<ProviderKind, RegistryProvider>;

export const providerOf = (kind: ProviderKind): RegistryProvider => PROVIDERS[kind];
