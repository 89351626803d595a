// API Gateway proxy responses: JSON bodies and the error body every route shares.
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { IssueDetail } from '#shared/errors.ts';

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorBody(code: string, message: string, issues?: IssueDetail[]) {
  return { error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } };
}
