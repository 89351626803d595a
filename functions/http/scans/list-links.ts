// Pagination meta and links shared by paginated lists; links keep the caller's other parameters.
export interface PageRequest {
  page: number;
  limit: number;
}

export function pageMeta(request: PageRequest, total: number) {
  const totalPages = Math.ceil(total / request.limit);
  return { page: request.page, pageSize: request.limit, total, totalPages, hasNext: request.page < totalPages, hasPrev: request.page > 1 };
}

/** `kept` names the query parameters (besides page and limit) that every link carries on. */
export function pageLinks(basePath: string, raw: Record<string, string | undefined>, request: PageRequest, totalPages: number, kept: readonly string[]) {
  const link = (page: number) => {
    const params = new URLSearchParams({ page: String(page), limit: String(request.limit) });
    for (const name of kept) {
      const value = raw[name];
      if (value !== undefined) params.set(name, value);
    }
    return `${basePath}?${params.toString()}`;
  };
  return {
    self: link(request.page),
    ...(request.page < totalPages ? { next: link(request.page + 1) } : {}),
    ...(request.page > 1 ? { prev: link(Math.min(request.page - 1, Math.max(totalPages, 1))) } : {}),
  };
}
