// BerkeleyDB hash files (the rpmdb "Packages" of CentOS/RHEL <= 8, Amazon Linux 2), read directly:
// walk every hash page, take each data item, and follow overflow-page chains for the large ones
// (rpm headers usually exceed a page). Keys (package numbers) are not needed.
const HASH_MAGIC = 0x061561;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;

export class BerkeleyDbError extends Error {
  override name = 'BerkeleyDbError';
}

export function bdbHashValues(db: Buffer): Buffer[] {
  if (db.length < 512) throw new BerkeleyDbError('file too small for a BerkeleyDB database');
  let little = true;
  if (db.readUInt32LE(12) !== HASH_MAGIC) {
    if (db.readUInt32BE(12) !== HASH_MAGIC) throw new BerkeleyDbError('not a BerkeleyDB hash database');
    little = false;
  }
  const u32 = (at: number): number => (little ? db.readUInt32LE(at) : db.readUInt32BE(at));
  const u16 = (at: number): number => (little ? db.readUInt16LE(at) : db.readUInt16BE(at));
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new BerkeleyDbError('bad page size');
  const pages = Math.floor(db.length / pageSize);

  const overflow = (first: number, total: number): Buffer => {
    const parts: Buffer[] = [];
    let got = 0;
    const seen = new Set<number>();
    for (let page = first; page !== 0 && got < total;) {
      // A chain that loops or leaves the file is corrupt (or hostile): stop instead of spinning.
      if (page >= pages || seen.has(page)) throw new BerkeleyDbError('broken overflow chain');
      seen.add(page);
      const base = page * pageSize;
      const used = u16(base + 22);
      const take = Math.min(used, total - got, pageSize - PAGE_HEADER);
      parts.push(db.subarray(base + PAGE_HEADER, base + PAGE_HEADER + take));
      got += take;
      page = u32(base + 16);
    }
    return Buffer.concat(parts);
  };

  const values: Buffer[] = [];
  for (let page = 1; page < pages; page++) {
    const base = page * pageSize;
    const type = db[base + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    // Items alternate key, value; offsets grow downward from the page end.
    for (let i = 1; i < entries; i += 2) {
      const offset = u16(base + PAGE_HEADER + i * 2);
      if (offset === 0 || offset >= pageSize) continue;
      const item = base + offset;
      if (db[item] === H_OFFPAGE) values.push(overflow(u32(item + 4), u32(item + 8)));
      else if (db[item] === H_KEYDATA) {
        const end = i === 1 ? pageSize : u16(base + PAGE_HEADER + (i - 1) * 2);
        values.push(db.subarray(item + 1, base + end));
      }
    }
  }
  return values;
}
