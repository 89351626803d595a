// Sorting free-text licence strings into SPDX ids, SPDX expressions and everything else, which both
// SBOM formats treat differently.
import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';

export type LicenseKind = { kind: 'id'; id: string } | { kind: 'expression'; expression: string } | { kind: 'name'; name: string };

const OPERATOR = /^(AND|OR|WITH)$/;

export function classifyLicense(value: string): LicenseKind {
  const text = value.trim();
  const id = SPDX.fixupSpdxId(text);
  if (id) return { kind: 'id', id };
  const tokens = text.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
  // An expression only when every operand is a known id (exceptions after WITH aside).
  if (tokens.length >= 3 && tokens.some((t) => OPERATOR.test(t))) {
    const valid = tokens.every((t, i) => OPERATOR.test(t) || tokens[i - 1] === 'WITH' || SPDX.isSupportedSpdxId(t.replace(/\+$/, '')));
    if (valid) return { kind: 'expression', expression: text };
  }
  return { kind: 'name', name: text };
}
