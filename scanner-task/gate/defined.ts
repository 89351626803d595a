/** Only the fields whose value is set: an optional field stays absent rather than `undefined` (what JSON output and toEqual compare). */
export const defined = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
