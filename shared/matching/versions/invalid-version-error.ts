// The one error every version scheme throws for input it cannot order, so callers
// (the matcher, the CLI) can tell bad data from bugs with a single instanceof.
export class InvalidVersionError extends Error {
  readonly scheme: string;
  readonly version: string;

  constructor(scheme: string, version: string, reason: string) {
    super(`invalid ${scheme} version ${JSON.stringify(version)}: ${reason}`);
    this.name = 'InvalidVersionError';
    this.scheme = scheme;
    this.version = version;
  }
}
