// Runs in every test worker before its files: point the AWS SDK at the local parts started by
// the global setup, exactly as the local stack does (standard AWS_ENDPOINT_URL_* variables).
import { interceptLocalhostDns } from 'fauxqs';
import { inject } from 'vitest';

Object.assign(process.env, inject('awsEnv'), { HG_LOG_REQUESTS: 'off' });
interceptLocalhostDns();
