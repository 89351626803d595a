// Runs in every test worker before its files: point the AWS SDK at the local parts started by
// the global setup, exactly as the local stack does (standard AWS_ENDPOINT_URL_* variables).
import { interceptLocalhostDns } from 'fauxqs';
import { inject } from 'vitest';

// No log lines: tests that read them turn the logger up (shared/logging/logger.ts).
Object.assign(process.env, inject('awsEnv'), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
interceptLocalhostDns();
