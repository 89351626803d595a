// Lists in the envelope can hold 200,000 items. zod's own array collects every issue of every
// item and hands them up with `push(...issues)`, which overflows the stack ("Maximum call
// stack size exceeded") once an invalid list yields ~100k issues. This list checks its length
// before looking at any item and stops after the first few invalid items, so validation of an
// invalid envelope costs and reports a bounded amount, whatever its size.
import * as z from '../validation.ts';

/** Invalid items reported per list; the error body shows the first 50 issues anyway. */
export const MAX_INVALID_ITEMS_REPORTED = 50;

/**
 * An array of at most `max` items, each valid under `item`. The items are returned as given,
 * so `item` must not transform (no defaults, no coercion): the envelope's schemas do not.
 */
export function boundedList<T extends z.ZodMiniType>(item: T, max: number): z.ZodMiniType<z.output<T>[], z.output<T>[]> {
  return z
    .custom<z.output<T>[]>((value) => Array.isArray(value), 'Invalid input: expected array')
    .check(
      z.superRefine((items: unknown[], context) => {
        if (items.length > max) {
          context.addIssue({ code: 'custom', message: `Too big: expected array to have <=${max} items`, continue: false });
          return;
        }
        let invalid = 0;
        for (let i = 0; i < items.length && invalid < MAX_INVALID_ITEMS_REPORTED; i++) {
          const result = item.safeParse(items[i]);
          if (result.success) continue;
          invalid += 1;
          for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: [i, ...issue.path] });
        }
      }),
    );
}
