// Why a finding does not count, in CycloneDX's impact-analysis terms (the VEX part of the VDR).
// OpenVEX's justifications map onto CycloneDX's as CISA's "VEX Status Justifications" pairs them;
// an impact statement or anything else stays readable in `detail`, never a guessed enum value.
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import type { Suppression } from '../gate-types.ts';
import { suppressionText } from '../describe-finding.ts';

const { AnalysisJustification: J, AnalysisResponse: R, AnalysisState: S } = Enums.Vulnerability;

const OPENVEX_JUSTIFICATION: Record<string, Enums.Vulnerability.AnalysisJustification> = {
  component_not_present: J.CodeNotPresent,
  vulnerable_code_not_present: J.CodeNotPresent,
  vulnerable_code_not_in_execute_path: J.CodeNotReachable,
  vulnerable_code_cannot_be_controlled_by_adversary: J.RequiresEnvironment,
  inline_mitigations_already_exist: J.ProtectedByMitigatingControl,
};
const CYCLONEDX_JUSTIFICATIONS = new Set<string>(Object.values(J));

/** VEX statuses (OpenVEX's, or a CycloneDX VEX's states) and the server's triage statuses. */
const STATE: Record<string, Enums.Vulnerability.AnalysisState> = {
  not_affected: S.NotAffected,
  fixed: S.Resolved,
  resolved: S.Resolved,
  resolved_with_pedigree: S.ResolvedWithPedigree,
  false_positive: S.FalsePositive,
  // Triage: the team knows the image is affected and decided not to fix it.
  wont_fix: S.Exploitable,
};

function justificationOf(value: string | undefined): Enums.Vulnerability.AnalysisJustification | undefined {
  if (!value) return undefined;
  return OPENVEX_JUSTIFICATION[value] ?? (CYCLONEDX_JUSTIFICATIONS.has(value) ? (value as Enums.Vulnerability.AnalysisJustification) : undefined);
}

/** An ignore rule accepts a risk without saying whether the image is affected: it gets no state, only its reason. */
export function analysisOf(s: Suppression): Models.Vulnerability.Analysis {
  const state = s.kind === 'ignore' ? undefined : STATE[s.reason.toLowerCase()];
  const justification = state === S.NotAffected ? justificationOf(s.justification) : undefined;
  return new Models.Vulnerability.Analysis({
    ...(state ? { state } : {}),
    ...(justification ? { justification } : {}),
    ...(state === S.Exploitable ? { response: new Enums.Vulnerability.AnalysisResponseRepository([R.WillNotFix]) } : {}),
    detail: suppressionText(s),
  });
}
