// Pagination meta and links for GET /api/scans; links keep the caller's other parameters.
import type { ScanListQuery } from '#domain/scans/list-query.ts';

export function pageMeta(query: ScanListQuery, total: number) {
  const totalPages = Math.ceil(total / query.limit);
  return { page: query.page, pageSize: query.limit, total, totalPages, hasNext: query.page < totalPages, hasPrev: query.page > 1 };
}

export function pageLinks(basePath: string, raw: Record<string, string | undefined>, query: ScanListQuery, totalPages: number) {
  const link = (page: number) => {
    const params = new URLSearchParams({ page: String(page), limit: String(query.limit) });
    for (const name of ['sort', 'status', 'search'] as const) {
      const value = raw[name];
      if (value !== undefined) params.set(name, value);
    }
    return `${basePath}?${params.toString()}`;
  };
  return {
    self: link(query.page),
    ...(query.page < totalPages ? { next: link(query.page + 1) } : {}),
    ...(query.page > 1 ? { prev: link(Math.min(query.page - 1, Math.max(totalPages, 1))) } : {}),
  };
}
