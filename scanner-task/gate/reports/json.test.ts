// The scriptable JSON: what a user's jq reads, and the same bytes for the same verdict.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../gate-types.ts';
import { toGateJson } from './json.ts';
import { failingVerdict, gateInput, nghttp2, openssl } from './testdata/gate-fixture.ts';

describe('toGateJson', () => {
  it('states the outcome, the input in brief and the whole verdict', () => {
    const doc = JSON.parse(toGateJson(gateInput, failingVerdict));
    expect(doc).toMatchObject({
      schema: 'harborguard-ci/v1',
      outcome: 'fail',
      riskScore: 62,
      input: {
        image: gateInput.image,
        scan: gateInput.scan,
        matched: true,
        compliance: { grade: 'D', score: 58 },
        findings: 6,
        checks: { FATAL: 1, WARN: 1, INFO: 1, PASS: 1 },
      },
    });
    expect(doc.verdict.violations.map((v: { rule: string }) => v.rule)).toEqual(['failOn', 'failOnKev', 'failOnChecks']);
    expect(doc.verdict.violations[0].findingKeys).toEqual([nghttp2.key, openssl.key].sort());
    expect(doc.verdict.counted.map((f: { key: string }) => f.key)[0]).toBe(openssl.key);
    expect(doc.verdict.suppressed[0].suppression).toEqual(failingVerdict.suppressed[0]!.suppression);
    expect(doc.verdict.expiredIgnores).toEqual(failingVerdict.expiredIgnores);
    // Every list is there, empty or not, so a script need not test for it.
    expect(doc.verdict).toMatchObject({ inBaseline: [], notCountedUnfixed: [] });
  });

  it('prints the same bytes whatever order the verdict’s lists and the findings’ keys came in', () => {
    const shuffledKeys = Object.fromEntries(Object.entries(openssl).reverse()) as typeof openssl;
    const reordered: Verdict = {
      ...failingVerdict,
      violations: failingVerdict.violations.map((v) => ({ ...v, findingKeys: [...v.findingKeys].reverse() })),
      counted: [...failingVerdict.counted.filter((f) => f !== openssl), shuffledKeys].reverse(),
      suppressed: [...failingVerdict.suppressed].reverse(),
    };
    expect(toGateJson(gateInput, reordered)).toBe(toGateJson(gateInput, failingVerdict));
  });
});
