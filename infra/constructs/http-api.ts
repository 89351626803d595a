// The REST API: every route of functions/http/route-groups.ts as a Lambda proxy method, stage
// throttling, JSON access logs, parameter validation, and API Gateway's own errors in the
// product's error shape ({"error":{"code","message"}}, docs/API.md).
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { RouteGroup } from '../../functions/http/route-groups.ts';

export interface HttpApiProps {
  rateLimit: number;
  burstLimit: number;
}

export const STAGE_NAME = 'prod';

/** API Gateway's own rejections, answered as the handlers answer theirs. */
const GATEWAY_ERRORS = [
  // API Gateway answers an unknown path or method with 403 "Missing Authentication Token".
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: '404', code: 'NOT_FOUND', message: '"No such route"' },
  { type: ResponseType.THROTTLED, status: '429', code: 'RATE_LIMITED', message: '$context.error.messageString' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: '413', code: 'PAYLOAD_TOO_LARGE', message: '$context.error.messageString' },
  { type: ResponseType.DEFAULT_4XX, status: undefined, code: 'BAD_REQUEST', message: '$context.error.messageString' },
  { type: ResponseType.DEFAULT_5XX, status: undefined, code: 'INTERNAL_ERROR', message: '"Internal error"' },
];

export class HttpApi extends Construct {
  readonly api: RestApi;
  private readonly validator: RequestValidator;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.api = new RestApi(this, 'Api', {
      restApiName: 'harborguard',
      description: 'HarborGuard control plane',
      endpointTypes: [EndpointType.REGIONAL],
      // Sensors may upload gzip envelopes (Content-Encoding: gzip); only a binary media type
      // keeps those bytes intact. Handlers decode base64 bodies either way.
      binaryMediaTypes: ['application/json'],
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
      },
    });
    // API Gateway checks that declared path parameters are present. Bodies have no API Gateway
    // model on purpose: they may be gzip (binary to API Gateway), and the handlers validate them
    // with zod, answering with field paths; body validation is on for any model added later.
    this.validator = new RequestValidator(this, 'Validator', { restApi: this.api, validateRequestParameters: true, validateRequestBody: true });

    for (const { type, status, code, message } of GATEWAY_ERRORS) {
      this.api.addGatewayResponse(`Gateway${type.responseType}`, {
        type,
        ...(status ? { statusCode: status } : {}),
        templates: { 'application/json': `{"error":{"code":"${code}","message":${message}}}` },
      });
    }

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route authenticates in its Lambda (API key, PAT or session, hashed lookup in DynamoDB, roles per route); an API Gateway authorizer would add a second invocation per request for the same check',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'Credentials are HarborGuard API keys, PATs and sessions (docs/API.md), not Cognito users; authentication happens in the route Lambda',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'WAF is optional (docs/DEPLOY.md): stage throttling, per-organisation rate limits in the handlers and authenticated routes cover abuse; WAF adds ~$6/month + $0.60 per million requests',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: "API Gateway's account-level logging role: the AWS-managed policy is the documented way to let API Gateway write execution logs",
      });
    }
  }

  /** Every route of a group as a Lambda proxy method on its function. */
  addRouteGroup(group: RouteGroup, fn: IFunction): void {
    // One integration per function; test invocations from the console need no permission.
    const integration = new LambdaIntegration(fn, { proxy: true, allowTestInvoke: false });
    for (const route of group.routes) {
      const resource = this.api.root.resourceForPath(route.resource);
      const pathParameters = [...route.resource.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      resource.addMethod(route.method, integration, {
        requestValidator: this.validator,
        requestParameters: Object.fromEntries(pathParameters.map((name) => [`method.request.path.${name}`, true])),
      });
    }
  }
}
