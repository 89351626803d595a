// A port whose adapter, and the AWS SDK client behind it, loads on first use. A Lambda that
// never touches S3, SQS or ECS never pays for loading their clients at cold start.
// Ports are interfaces of async methods only, so every call can wait for the load.
export function lazyPort<T extends object>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, method) {
      // Not a thenable: `await port` must not try to call a method named "then".
      if (method === 'then') return undefined;
      return async (...args: unknown[]) => {
        loading ??= load();
        const port = (await loading) as Record<PropertyKey, (...a: unknown[]) => unknown>;
        return port[method]!(...args);
      };
    },
  });
}
