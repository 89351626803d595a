import { describe, expect, it } from 'vitest';
import { filteredOut, MATCH_EVERYTHING } from './push-filter.ts';

const image = (repository: string, tag: string | null) => ({ host: 'registry.example.com', repository, tag, digest: null });

describe('filteredOut', () => {
  it('admits everything by default, a digest-only push included', () => {
    expect(filteredOut(image('a/b/c', 'v1'), MATCH_EVERYTHING)).toBeUndefined();
    expect(filteredOut(image('library/nginx', null), MATCH_EVERYTHING)).toBeUndefined();
  });

  it('matches one repository level with * and any depth with **', () => {
    const filters = { repositories: ['acme/*'], tags: ['*'] };
    expect(filteredOut(image('acme/api', '1'), filters)).toBeUndefined();
    expect(filteredOut(image('acme/team/api', '1'), filters)).toMatch(/repository acme\/team\/api matches none of acme\/\*/);
    expect(filteredOut(image('acme/team/api', '1'), { ...filters, repositories: ['acme/**'] })).toBeUndefined();
  });

  it('takes any of several tag globs, and says which tag failed', () => {
    const filters = { repositories: ['**'], tags: ['v*', 'release-?'] };
    expect(filteredOut(image('x', 'v1.2.3'), filters)).toBeUndefined();
    expect(filteredOut(image('x', 'release-7'), filters)).toBeUndefined();
    expect(filteredOut(image('x', 'release-77'), filters)).toBe('tag release-77 matches none of v*, release-?');
    expect(filteredOut(image('x', 'latest'), filters)).toMatch(/^tag latest/);
  });

  it('treats braces and extglobs as plain characters, not patterns', () => {
    expect(filteredOut(image('acme', '1'), { repositories: ['{acme,other}'], tags: ['*'] })).toBeDefined();
    expect(filteredOut(image('acme', '1'), { repositories: ['+(acme)'], tags: ['*'] })).toBeDefined();
  });
});
