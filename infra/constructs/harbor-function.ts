// Defaults every HarborGuard Lambda shares: bundled at synth by build/bundles.ts — the same
// function and options `npm run build` uses, run locally, never in Docker — arm64, Node 22
// runtime with code built for Node 20 (so the same bundle runs on a developer's machine), JSON
// logs with a retention.
import { AssetHashType, DockerImage, Duration, Validations, type Size } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { dirname } from 'node:path';
import { buildBundleSync, lambdaBundle } from '../../build/bundles.ts';

export interface HarborFunctionProps {
  /** Absolute path of the module exporting `handler`. */
  entry: string;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  environment: Record<string, string>;
  ephemeralStorage?: Size;
}

/** The handler's code: its bundle, built locally at synth (the Docker image is never used). */
function bundledCode(id: string, entry: string): Code {
  return Code.fromAsset(dirname(entry), {
    // The bundle's own bytes decide whether the function is updated, not the folder it came from.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('scratch'),
      local: {
        tryBundle(outputDir) {
          buildBundleSync(lambdaBundle(id, entry), outputDir);
          return true;
        },
      },
    },
  });
}

export class HarborFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: HarborFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to its log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    super(scope, id, {
      role,
      code: bundledCode(id, props.entry),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      environment: props.environment,
      ...(props.ephemeralStorage ? { ephemeralStorage: props.ephemeralStorage } : {}),
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      logGroup,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x on purpose: the code is built and tested for Node 20/22 (build/bundles.ts targets node20); moving to a newer runtime is a tested change, not a default',
    });
  }
}
