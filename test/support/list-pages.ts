// The list conventions every list test checks (GET /api/scans, /api/images, /api/vulnerabilities):
// all pages read by following `links.next`, the `meta` each page should carry, and the oracle's
// order for a sort key.
import { expect } from 'vitest';
import { call, type Credential } from './http.ts';

/** Every page from `path` on, by `links.next`, each answered 200. */
export async function everyPage(baseUrl: string, credential: Credential, path: string): Promise<any[]> {
  const pages: any[] = [];
  for (let next: string | undefined = path; next; next = pages.at(-1).links.next) {
    const response = await call(baseUrl, 'GET', next, credential);
    expect(response.status).toBe(200);
    pages.push(response.body);
  }
  return pages;
}

/** The `meta` of each page of `total` rows, `pageSize` a page. */
export function pageMetas(total: number, pageSize: number) {
  const totalPages = Math.ceil(total / pageSize);
  return Array.from({ length: totalPages }, (_, i) => ({ page: i + 1, pageSize, total, totalPages, hasNext: i + 1 < totalPages, hasPrev: i > 0 }));
}

/** The rows in `key` order (ascending, or its reverse). */
export function ordered<T>(rows: readonly T[], key: (row: T) => string, direction: 'asc' | 'desc'): T[] {
  const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return direction === 'asc' ? sorted : sorted.reverse();
}
