// Questions asked of the ecosystem table, for code that holds a type as a plain string (an
// envelope's, another scanner's) or an OSV ecosystem name: answered from ECOSYSTEMS only.
import { ECOSYSTEMS, PACKAGE_TYPES, type Advisories, type Ecosystem, type PackageType } from './ecosystems.ts';

export const isPackageType = (type: string): type is PackageType => Object.hasOwn(ECOSYSTEMS, type);

/** The table's entry for a type, or undefined for one it does not know (another scanner's "binary"). */
export const ecosystemOf = (type: string): Ecosystem | undefined => (isPackageType(type) ? ECOSYSTEMS[type] : undefined);

export const isOsPackageType = (type: string): boolean => ecosystemOf(type)?.kind === 'os';

// Each entry as the general shape: the table's literal types differ per entry.
const entries: ReadonlyArray<[PackageType, Ecosystem]> = PACKAGE_TYPES.map((type) => [type, ECOSYSTEMS[type]]);

/** Every OSV ecosystem packages are matched against, in table order: what a deployment downloads. */
export const MATCHED_OSV_ECOSYSTEMS: readonly string[] = entries.flatMap(([, e]) => e.advisories?.osv ?? []);

const BY_OSV = new Map(
  entries.flatMap(([type, e]) =>
    e.advisories ? [...e.advisories.osv, ...(e.advisories.relatedOsv ?? [])].map((osv) => [osv, { type, advisories: e.advisories! }] as const) : [],
  ),
);

/** Every OSV ecosystem the table names (matched or related), for `versions compare` and error messages. */
export const KNOWN_OSV_ECOSYSTEMS: readonly string[] = [...BY_OSV.keys()];

/**
 * The package type whose advisories an OSV ecosystem holds, with how they are read. Distribution
 * ecosystems carry a release ("Debian:12", "Red Hat:enterprise_linux:9::baseos"): only the part
 * before the first colon counts.
 */
export const osvEcosystem = (ecosystem: string): { type: PackageType; advisories: Advisories } | undefined => BY_OSV.get(ecosystem.split(':', 1)[0] ?? '');

const BY_SCANNER_TYPE = {
  anchore: new Map(entries.flatMap(([type, e]) => e.scannerTypes.anchore.map((name) => [name, type] as const))),
  trivy: new Map(entries.flatMap(([type, e]) => e.scannerTypes.trivy.map((name) => [name, type] as const))),
};

/** The package type another scanner's type name stands for (syft and grype: `anchore`). */
export const packageTypeOfScanner = (scanner: keyof Ecosystem['scannerTypes'], name: string): PackageType | undefined => BY_SCANNER_TYPE[scanner].get(name);
