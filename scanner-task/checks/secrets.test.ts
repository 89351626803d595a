import { describe, expect, it } from 'vitest';
import { secretAssignments } from './secrets.ts';

describe('secretAssignments', () => {
  it('flags secret-named variables with real values and known token formats', () => {
    expect(secretAssignments('DB_PASSWORD=hunter2')).toEqual(['DB_PASSWORD is set to a value']);
    expect(secretAssignments('/bin/sh -c #(nop) ARG GITHUB_TOKEN=ghp_' + 'a'.repeat(36))).toHaveLength(2);
    expect(secretAssignments('AWS_KEY_ID AKIAABCDEFGHIJKLMNOP')).toEqual(['contains what looks like a AWS access key id']);
  });
  it('ignores placeholders, file pointers and ordinary variables', () => {
    expect(secretAssignments('PATH=/usr/bin')).toEqual([]);
    expect(secretAssignments('DB_PASSWORD_FILE=/run/secrets/db')).toEqual([]);
    expect(secretAssignments('API_KEY=${API_KEY}')).toEqual([]);
    expect(secretAssignments('TOKEN=')).toEqual([]);
  });
});
