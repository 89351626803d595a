// Which test files need the local AWS stack (DynamoDB Local and fauxqs): vitest.config.ts runs
// them in the `stack` project, whose global setup starts it, and every other test file in the
// fast `unit` project (npm run test:unit), which starts nothing. Worked out from the files
// themselves, so that a new test is placed without a list to keep: a test file needs the stack
// when it, or a test helper it imports (relatively, at any depth), starts or talks to it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Modules that start the stack: a test importing one of them, through any helper, needs it. */
const STACK_MODULES = [
  // The stack's API Gateway and handlers, on the tables and queues of the global setup.
  'test/support/test-stack.ts',
  // DynamoDB Local and fauxqs themselves.
  'local/local-aws.ts',
  // `npm start` as a child process: it starts its own DynamoDB Local.
  'test/local/npm-start-process.ts',
];

/** In a test file or test helper (not in production code, which every tier may import): clients of the stack's engines. */
const STACK_CLIENTS = /from '(@aws-sdk\/client-(dynamodb|sqs|s3)|fauxqs)'|inject\('awsEnv'\)/;

const TEST_ROOTS = ['shared', 'functions', 'scanner-task', 'local', 'test'];

const isTestSide = (file: string) => file.endsWith('.test.ts') || file.startsWith('test/') || file.includes('/testing/');

function relativeImports(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.ts)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => relative(root, resolve(root, dirname(file), specifier)));
}

/** Every test file under the test roots, relative to `root` with / separators. */
export function testFiles(root: string): string[] {
  return TEST_ROOTS.flatMap((dir) =>
    (readdirSync(join(root, dir), { recursive: true }) as string[])
      .map((entry) => `${dir}/${entry.split('\\').join('/')}`)
      .filter((file) => file.endsWith('.test.ts') && !file.includes('node_modules/')),
  );
}

export function testsNeedingStack(root: string): string[] {
  const memo = new Map<string, boolean>();
  const needsStack = (file: string): boolean => {
    const known = memo.get(file);
    if (known !== undefined) return known;
    // Provisionally false: an import cycle ends here instead of looping.
    memo.set(file, false);
    const needs =
      STACK_MODULES.includes(file) ||
      (isTestSide(file) && (STACK_CLIENTS.test(readFileSync(join(root, file), 'utf8')) || relativeImports(root, file).some(needsStack)));
    memo.set(file, needs);
    return needs;
  };
  return testFiles(root).filter(needsStack);
}
