// A local endpoint that speaks the ECS JSON 1.1 protocol (RunTask, StopTask, DescribeTasks)
// so that the real ECSClient, pointed here by AWS_ENDPOINT_URL_ECS, starts scanner tasks as
// child processes, with the container overrides as their environment. When a task exits it
// emits the "ECS Task State Change" event EventBridge would deliver. Tasks end with the process
// that runs this endpoint (task-lifeline.mjs), as Fargate tasks cannot outlive their cluster.
import type { DescribeTasksRequest, RunTaskRequest, StopTaskRequest } from '@aws-sdk/client-ecs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshScannerEntry } from '../build/fresh-scanner.ts';
import { logger } from '../shared/logging/logger.ts';

const TASK_LIFELINE = new URL('./task-lifeline.mjs', import.meta.url).href;
const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
/** ECS's default stopTimeout: a task that ignores SIGTERM this long is killed. */
const STOP_TIMEOUT_MS = 30_000;

interface LocalTask {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  startedBy?: string;
  lastStatus: 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  stoppedReason?: string;
  exitCode?: number | null;
  overrides: { containerOverrides: Array<{ name: string; environment: Array<{ name: string; value: string }> }> };
  child?: ChildProcess;
  output: string;
  /** Set when the task exits: the handling of its task-stopped event. */
  stopHandled?: Promise<unknown>;
}

export interface TaskStateChangeEvent {
  'detail-type': 'ECS Task State Change';
  source: 'aws.ecs';
  detail: Record<string, unknown>;
}

export interface LocalEcs {
  url: string;
  /**
   * Stops every running task with `reason` and resolves once each has exited and its
   * task-stopped event has been handled (so the scans it ran are no longer IN_PROGRESS).
   */
  close(reason: string): Promise<void>;
  /**
   * Resolves once the task has exited and its task-stopped event has been handled: a test that
   * asserts what a stop changed (or did not change) waits for this, not for a while.
   */
  taskStopped(taskArn: string): Promise<void>;
}

class EcsRequestError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function describe(task: LocalTask) {
  const { child: _child, output: _output, exitCode, ...rest } = task;
  return {
    ...rest,
    containers: [
      {
        name: task.overrides.containerOverrides[0]?.name ?? 'scanner',
        lastStatus: task.lastStatus,
        ...(exitCode !== undefined && exitCode !== null ? { exitCode } : {}),
      },
    ],
  };
}

export async function startLocalEcs(options: {
  onTaskStopped: (event: TaskStateChangeEvent) => Promise<unknown>;
  taskEnv?: Record<string, string>;
}): Promise<LocalEcs> {
  const tasks = new Map<string, LocalTask>();
  /** Task-stopped events being handled: close() waits for them. */
  const deliveries = new Set<Promise<unknown>>();

  async function runTask(input: RunTaskRequest) {
    const overrides = { containerOverrides: (input.overrides?.containerOverrides ?? []) as LocalTask['overrides']['containerOverrides'] };
    const environment = Object.fromEntries(overrides.containerOverrides.flatMap((o) => (o.environment ?? []).map((e) => [e.name, e.value])));
    const task: LocalTask = {
      taskArn: `arn:aws:ecs:us-east-1:000000000000:task/${input.cluster ?? 'default'}/${randomUUID().replaceAll('-', '')}`,
      clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${input.cluster ?? 'default'}`,
      taskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${input.taskDefinition ?? 'scanner'}`,
      ...(input.startedBy ? { startedBy: input.startedBy } : {}),
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      overrides,
      output: '',
    };
    // The task sees only what a Fargate task would: its overrides and a bare environment.
    // The scanner image's bundle, rebuilt first if a source changed: no TypeScript at task start.
    const child = spawn(process.execPath, ['--import', TASK_LIFELINE, await freshScannerEntry('task')], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.taskEnv, ...environment },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => (task.output = (task.output + chunk.toString()).slice(-8000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', (code, signal) => {
      task.lastStatus = 'STOPPED';
      task.desiredStatus = 'STOPPED';
      task.exitCode = code;
      task.stoppedReason ??= signal
        ? `Task killed by ${signal}`
        : code === 0
          ? 'Essential container in task exited'
          : `Essential container in task exited: ${task.output.trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 255);
      delete task.child;
      const delivery = options
        .onTaskStopped({ 'detail-type': 'ECS Task State Change', source: 'aws.ecs', detail: describe(task) })
        .catch((error: Error) => logger.error('local ecs: the task-stopped handler failed', { taskArn: task.taskArn, error }));
      task.stopHandled = delivery;
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
    });
    task.child = child;
    tasks.set(task.taskArn, task);
    return { tasks: [describe(task)], failures: [] };
  }

  /** As ECS stops a task: SIGTERM, then SIGKILL if it has not exited by the stop timeout. */
  function terminate(task: LocalTask, reason: string): void {
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = reason;
    const child = task.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    timer.unref();
    child.once('exit', () => clearTimeout(timer));
  }

  function stopTask(input: StopTaskRequest) {
    const task = tasks.get(input.task ?? '');
    if (!task) throw new EcsRequestError('InvalidParameterException', `The referenced task was not found: ${input.task}`);
    terminate(task, input.reason ?? 'Task stopped by user');
    return { task: describe(task) };
  }

  function describeTasks(input: DescribeTasksRequest) {
    const arns = input.tasks ?? [];
    return {
      tasks: arns.flatMap((arn) => (tasks.has(arn) ? [describe(tasks.get(arn)!)] : [])),
      failures: arns.filter((arn) => !tasks.has(arn)).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  }

  // Each action reads its request as the ECS API defines it; the body is whatever the client sent.
  const actions: Partial<Record<string, (input: RunTaskRequest & StopTaskRequest & DescribeTasksRequest) => unknown>> = {
    RunTask: runTask,
    StopTask: stopTask,
    DescribeTasks: describeTasks,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    const respond = async () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      try {
        const action = actions[target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : ''];
        if (!action) throw new EcsRequestError('InvalidParameterException', `Unsupported operation ${target || '(none)'}`);
        reply(200, await action(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
      } catch (error) {
        const known = error instanceof EcsRequestError;
        reply(known ? 400 : 500, { __type: known ? error.type : 'ServerException', message: (error as Error).message });
      }
    };
    request.on('end', () => void respond());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close(reason) {
      const running = [...tasks.values()].flatMap((task) => (task.child ? [new Promise((resolve) => task.child!.once('exit', resolve))] : []));
      for (const task of tasks.values()) if (task.child) terminate(task, reason);
      await Promise.all(running);
      await Promise.all(deliveries);
      await new Promise((resolve) => server.close(resolve));
    },
    async taskStopped(taskArn) {
      const task = tasks.get(taskArn);
      if (!task) throw new Error(`No local task ${taskArn}`);
      // The exit listener runTask registered runs first and sets stopHandled.
      if (task.child) await new Promise((resolve) => task.child!.once('exit', resolve));
      await task.stopHandled;
    },
  };
}
