// Imported first by a benchmark that runs handlers in-process: the logger reads its level when
// it is first imported, and a benchmark's output is its table, not the request log.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
