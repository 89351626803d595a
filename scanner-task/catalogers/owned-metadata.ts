// Which of the files an OS package manager lists as a package's matter for ownership: the paths
// other catalogers report language packages at (Python metadata, package.json under node_modules,
// Java archives). dpkg, rpm and apk file lists are filtered by this one test, so an OS image's
// tens of thousands of listed files cost little memory.
import { MAX_PATH_LENGTH } from '../image/tar-walker.ts';

/** Substrings every metadata path contains: a list naming none of them can be passed over whole. */
export const METADATA_MARKERS = ['-info', '/node_modules/', '.jar', '.war', '.ear'];

const METADATA = /\.(dist-info|egg-info)(\/(METADATA|PKG-INFO))?$|\/node_modules\/.+\/package\.json$|\.(jar|war|ear)$/;

/** Whether a listed path (leading slash or not) is language metadata. Kept paths become map keys: one longer than PATH_MAX names no file any layer can hold. */
export const isOwnedMetadata = (path: string): boolean => path.length <= MAX_PATH_LENGTH && METADATA.test(path);
