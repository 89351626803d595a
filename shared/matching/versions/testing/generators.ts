// Version generators per scheme, for oracle pairs and property tests. They aim at the
// corners (epochs, tildes, carets, leading zeros, qualifiers, pre/post/dev) rather than
// at realism, and stay inside each scheme's grammar unless a scheme accepts anything.
import fc from 'fast-check';
import { editChars, repeat, seeded, type Random } from './random.ts';

const num = (r: Random): string => r.pick(['0', '1', '2', '9', '10', '11', '01', '007', String(r.int(30)), String(r.int(100000))]);
const small = (r: Random): string => String(r.int(4));

export function dpkgVersion(r: Random): string {
  const epoch = r.chance(0.2) ? `${r.pick(['0', '1', '2', '00', '10'])}:` : '';
  const upstream =
    num(r) + repeat(r, 5, (x) => x.pick(['.', '.', '+', '~', '~rc', 'a', 'b', 'Z', '+dfsg', '.', '~~', '+really']) + (x.chance(0.6) ? num(x) : ''));
  const revision = r.chance(0.6)
    ? `-${r.pick(['1', '2', '0', '10', '1ubuntu1', '1+deb12u1', '1+b1', '2~bpo11+1', '1.1', 'a', '1~'])}${r.chance(0.2) ? `+b${small(r)}` : ''}`
    : '';
  return epoch + upstream + revision;
}

export function editDpkg(r: Random, v: string): string {
  const edited = r.chance(0.3) ? r.pick([`0:${v}`, `${v}~`, `${v}+b1`, `${v}-0`, `${v}.0`, v.replace(/^(\d+)/, '0$1')]) : editChars(r, v, '0123456789.~+-:ab');
  // dpkg's command line would read a leading "-" as an option, not a version.
  return edited.startsWith('-') ? v : edited;
}

export function rpmVersion(r: Random): string {
  const epoch = r.chance(0.2) ? `${r.pick(['0', '1', '2', '00', ''])}:` : '';
  const piece = (x: Random): string => x.pick(['.', '.', '_', '+', '~', '^', '~rc', '^git', 'a', 'B', 'el', '..']) + (x.chance(0.6) ? num(x) : '');
  const version = num(r) + repeat(r, 5, piece);
  const release = r.chance(0.7) ? `-${num(r)}${r.chance(0.5) ? r.pick(['.el9', '.el8_6', '.fc38', '~beta', '^1', '.1']) : ''}` : '';
  return epoch + version + release;
}

export const editRpm = (r: Random, v: string): string =>
  r.chance(0.3) ? r.pick([`0:${v}`, `${v}~`, `${v}^`, `${v}-1`, `${v}.0`, `${v}a`]) : editChars(r, v, '0123456789.~^_-:aZ');

const MAVEN_QUALIFIERS = [
  'alpha',
  'a',
  'beta',
  'b',
  'm',
  'milestone',
  'rc',
  'RC',
  'cr',
  'snapshot',
  'SNAPSHOT',
  'ga',
  'final',
  'release',
  'sp',
  'foo',
  'jre',
  '',
];

export function mavenVersion(r: Random): string {
  const piece = (x: Random): string => {
    const sep = x.pick(['.', '.', '-', '']);
    return sep + (x.chance(0.5) ? num(x) : x.pick(MAVEN_QUALIFIERS));
  };
  return num(r) + repeat(r, 5, piece);
}

export const editMaven = (r: Random, v: string): string =>
  r.chance(0.4) ? r.pick([`${v}.0`, `${v}-0`, `${v}-SNAPSHOT`, `${v}.final`, `${v}-1`, `${v}.a`, `${v}-sp`]) : editChars(r, v, '0123456789.-abrcm');

const APK_SUFFIXES = ['alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'];

export function apkVersion(r: Random): string {
  let v = num(r) + repeat(r, 3, (x) => `.${x.chance(0.2) ? '0' : ''}${num(x)}`);
  if (r.chance(0.2)) v += r.pick(['a', 'b', 'z']);
  if (r.chance(0.4)) v += repeat(r, 2, (x) => `_${x.pick(APK_SUFFIXES)}${x.chance(0.6) ? num(x) : ''}`);
  if (r.chance(0.1)) v += `~${r.pick(['1234', 'abcd', '0f'])}`;
  if (r.chance(0.6)) v += `-r${num(r)}`;
  return v;
}

export function semverVersion(r: Random): string {
  const n = (x: Random): string => x.pick(['0', '1', '2', '10', String(x.int(1000))]);
  const id = (x: Random): string => x.pick(['alpha', 'beta', 'rc', '0', '1', '11', '2', 'x-y', 'A', 'a1', '-']);
  let v = `${n(r)}.${n(r)}.${n(r)}`;
  if (r.chance(0.5)) v += `-${id(r)}${r.chance(0.5) ? repeat(r, 3, (x) => `.${id(x)}`) : ''}`;
  if (r.chance(0.2)) v += `+${r.pick(['build.1', 'sha.abc', '001', 'incompatible'])}`;
  return v;
}

export function pep440Version(r: Random): string {
  let v = r.chance(0.1) ? `${small(r)}!` : '';
  v += num(r) + repeat(r, 3, (x) => `.${num(x)}`);
  if (r.chance(0.3)) v += `${r.pick(['a', 'b', 'rc', 'c', 'alpha', 'beta', 'pre', 'preview', '.a', '-rc', '_b'])}${r.chance(0.7) ? num(r) : ''}`;
  if (r.chance(0.25)) v += r.pick(['.post', 'post', '-', '.rev', 'r', '_post']) + num(r);
  if (r.chance(0.25)) v += `${r.pick(['.dev', 'dev', '-dev'])}${r.chance(0.7) ? num(r) : ''}`;
  if (r.chance(0.15)) v += `+${r.pick(['ubuntu', 'abc', '1', '01', 'cpu'])}${repeat(r, 2, (x) => x.pick(['.1', '.a', '-2', '_x', '.07']))}`;
  return r.chance(0.1) ? v.toUpperCase() : v;
}

export function rubygemsVersion(r: Random): string {
  let v = num(r) + repeat(r, 3, (x) => `.${x.chance(0.8) ? num(x) : x.pick(['a', 'b', 'pre', 'rc', 'beta', 'A'])}`);
  if (r.chance(0.2)) v += r.pick(['a', 'rc1', 'beta2']);
  if (r.chance(0.15)) v += `-${r.pick(['1', 'pre', 'beta.2'])}`;
  return v;
}

export function nugetVersion(r: Random): string {
  let v =
    num(r) +
    repeat(r, 3, (x) => `.${num(x)}`)
      .split('.')
      .slice(0, 4)
      .join('.');
  if (r.chance(0.4))
    v += `-${r.pick(['alpha', 'Alpha', 'beta', 'rc', '1', '01', '2147483648', 'x-1'])}${repeat(r, 2, (x) => `.${x.pick(['1', 'a', 'B', '10'])}`)}`;
  if (r.chance(0.2)) v += '+meta.1';
  return v;
}

export function packagistVersion(r: Random): string {
  let v = (r.chance(0.2) ? 'v' : '') + num(r) + repeat(r, 3, (x) => `.${num(x)}`);
  if (r.chance(0.4))
    v += `${r.pick(['-', '', '.', '_'])}${r.pick(['alpha', 'beta', 'RC', 'rc', 'dev', 'p', 'pl', 'patch', 'a', 'b', 'foo'])}${r.chance(0.6) ? num(r) : ''}`;
  return v;
}

// A fast-check arbitrary over one of the generators: fast-check picks the seed.
export const arbitrary = (make: (r: Random) => string): fc.Arbitrary<string> => fc.integer().map((seed) => make(seeded(seed)));
