// The list the CLI's --format reads: every name writes its own kind of document from one verdict.
import { describe, expect, it } from 'vitest';
import { GATE_FORMATS } from './index.ts';
import { failingVerdict, gateInput, policyRules } from './testdata/gate-fixture.ts';

describe('GATE_FORMATS', () => {
  const options = { toolVersion: '1.2.3', rules: policyRules };
  const written = Object.fromEntries(Object.entries(GATE_FORMATS).map(([name, write]) => [name, write(gateInput, failingVerdict, options)]));

  it('names the formats the CLI offers besides its table', () => {
    expect(Object.keys(GATE_FORMATS)).toEqual(['json', 'sarif', 'junit', 'markdown', 'cyclonedx']);
  });

  it('maps each name to the writer of that format', () => {
    expect(JSON.parse(written.json!)).toMatchObject({ schema: 'harborguard-ci/v1' });
    expect(JSON.parse(written.sarif!)).toMatchObject({ version: '2.1.0', runs: [{ tool: { driver: { version: '1.2.3' } } }] });
    expect(written.junit).toMatch(/^<\?xml [^>]+>\n<testsuites name="harborguard ci"/);
    expect(written.markdown).toMatch(/^## ❌ harborguard ci: FAIL\n/);
    expect(JSON.parse(written.cyclonedx!)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
  });
});
