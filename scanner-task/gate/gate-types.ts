// The CI gate's contract (`harborguard ci`): what a verdict is computed from, whichever mode
// produced it (a local scan's envelope, or a scan the server ran), and what the verdict says.
// The policy (policy.ts) and VEX (vex/) decide; the report writers (report/) only print it.
import type { ComplianceGrade, EnvelopeCheck, Severity } from '#shared/envelope/envelope-schema.ts';

/** One finding: a vulnerability in one package version, deduplicated across advisories' aliases and scanners. */
export interface GateFinding {
  /** Stable across runs of the same image and of later images (SARIF fingerprints, baselines): `<vulnerabilityId>#<package>#<version>`. */
  key: string;
  /** The id findings are known by: the CVE when there is one, else the advisory's own id. */
  vulnerabilityId: string;
  /** Every other id of it (the advisory's own id, GHSA, distribution ids): ignore rules and VEX match any. */
  aliases: string[];
  severity: Severity;
  cvss: number | null;
  package: string;
  version: string;
  packageType?: string;
  purl?: string;
  fixedVersion: string | null;
  knownExploited: boolean;
  epss?: number;
  layerDigest?: string;
  title?: string;
  references: string[];
  /** The server's triage of the finding (server mode): WONT_FIX / not affected there suppress it here. */
  triage?: { status: string; assignee?: string | null; note?: string | null; updatedBy?: string | null };
}

export interface GateInput {
  /** The image as the user named it, and its digest once known. */
  image: { reference: string; digest?: string };
  findings: GateFinding[];
  checks: EnvelopeCheck[];
  compliance: { grade: ComplianceGrade | null; score?: number };
  /** False when packages were not matched against advisories: no finding is then no evidence, and the verdict cannot pass on it. */
  matched: boolean;
  matchingDetail?: string;
  /** Server mode: the scan and where to see it. */
  scan?: { id: string; url?: string };
}

/** Why a finding does not count. */
export interface Suppression {
  kind: 'vex' | 'ignore' | 'triage';
  /** The VEX status, the ignore rule's reason, or the triage status. */
  reason: string;
  /** VEX justification or impact statement, when given. */
  justification?: string;
  /** Where the decision came from: the VEX document (file and statement), the policy file and rule, or who triaged it. */
  source: string;
}

/** A rule of the policy that the image breaks. */
export interface Violation {
  /** The policy setting that failed: failOn, failOnKev, maxRiskScore, minGrade, failOnChecks, notMatched. */
  rule: string;
  /** One line a person reads: what failed and how many findings or checks broke it. */
  message: string;
  /** Keys of the findings that broke it. */
  findingKeys: string[];
  /** Ids of the checks that broke it. */
  checkIds: string[];
  /** The violation in a few words, for the verdict's summary line: `failOn HIGH broken by 3 findings`. */
  summary?: string;
}

export interface Verdict {
  outcome: 'pass' | 'fail';
  violations: Violation[];
  /** The findings that count, after suppression (and, with newOnly, only those the baseline does not have). */
  counted: GateFinding[];
  suppressed: Array<{ finding: GateFinding; suppression: Suppression }>;
  /** Findings left out because the baseline already had them (newOnly). */
  inBaseline: GateFinding[];
  /** Findings left out because no fix is known (onlyFixed): not suppressed, only not counted. */
  notCountedUnfixed?: GateFinding[];
  /** Ignore rules whose `expires` has passed: they no longer apply, and the output says so. */
  expiredIgnores: Array<{ vulnerability: string; reason: string; expires: string }>;
  /** The risk score over the counted findings (null when not matched). */
  riskScore: number | null;
}

/** `harborguard ci` exit codes: 0 pass, 1 policy failed, 2 could not decide. */
export const GATE_EXIT = { pass: 0, fail: 1, undecided: 2 } as const;
