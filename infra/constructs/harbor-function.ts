// Defaults every HarborGuard Lambda shares: bundled by the local esbuild (never Docker), ESM,
// minified, the AWS SDK left to the runtime, arm64, Node 22 runtime with code built for Node
// 20 (so the same bundle runs on a developer's machine), JSON logs with a retention.
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.ts';

export interface HarborFunctionProps {
  /** Absolute path of the module exporting `handler`. */
  entry: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  environment: Record<string, string>;
}

/** esbuild options shared with bench/bundles.ts, which measures exactly what is deployed. */
export const BUNDLE_OPTIONS = {
  format: 'esm',
  target: 'node20',
  minify: true,
  // xmlbuilder2: the CycloneDX library's optional XML plugin, never used (JSON output only); the
  // library requires it inside try/catch, as in the scanner image's bundle.
  external: ['@aws-sdk/*', 'xmlbuilder2'],
  mainFields: ['module', 'main'],
  // A few dependencies still call require(); ESM output needs it defined.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

export class HarborFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HarborFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to its log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    super(scope, id, {
      role,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      environment: props.environment,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_OPTIONS.target,
        minify: BUNDLE_OPTIONS.minify,
        externalModules: [...BUNDLE_OPTIONS.external],
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        banner: BUNDLE_OPTIONS.banner,
        forceDockerBundling: false,
        tsconfig: join(REPO_ROOT, 'tsconfig.json'),
      },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x on purpose: the code is built and tested for Node 20/22 (esbuild target node20); moving to a newer runtime is a tested change, not a default',
    });
  }
}
