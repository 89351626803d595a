// Every answer an API test receives from a documented route, checked against what the OpenAPI
// document says that route answers with that status: the document is generated from the same
// route declarations as the server, once per test file, and each response schema compiled once.
// A status the route does not document, or a body its schema refuses, fails the calling test.
// Webhook payloads a test receives are checked against the document's `webhooks` section alike.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument, type Operation } from '../../functions/http/openapi/openapi-document.ts';
import { webhookPathItems } from '../../functions/http/openapi/webhook-events.ts';
import { ROUTE_GROUPS } from '../../functions/http/route-groups.ts';

const COMPONENTS_ID = 'https://harborguard.test/components';

interface DocumentedRoute {
  method: string;
  resource: string;
  pattern: RegExp;
  /** Static segments, as API Gateway prefers /api/scans/upload over /api/scans/{scanId}. */
  specificity: number;
  operation: Operation;
  validators: Map<string, ValidateFunction>;
}

let routes: DocumentedRoute[] | undefined;
let ajv: Ajv2020;
let webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: object } } } } }>;
const eventValidators = new Map<string, ValidateFunction>();

/** The document's $refs point into the document; here they point into the components schema. */
const pointedAtComponents = <T>(schema: T): T => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/$defs/`)) as T;

function documentedRoutes(): DocumentedRoute[] {
  if (routes) return routes;
  const document = openApiDocument(ROUTE_GROUPS, { version: 'test', webhooks: webhookPathItems() });
  webhooks = document.webhooks as typeof webhooks;
  ajv = new Ajv2020({ allErrors: false });
  // ajv-formats is CommonJS: its types see the module, at run time it is the plugin (as in scanner-task/gate/vex/openvex.ts).
  (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: pointedAtComponents((document.components as { schemas: object }).schemas) });
  routes = Object.entries(document.paths).flatMap(([resource, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const segments = resource.split('/').filter(Boolean);
      const pattern = segments.map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
      return {
        method: method.toUpperCase(),
        resource,
        pattern: new RegExp(`^/${pattern}/?$`),
        specificity: segments.filter((segment) => !segment.startsWith('{')).length,
        operation,
        validators: new Map(),
      };
    }),
  );
  routes.sort((a, b) => b.specificity - a.specificity);
  return routes;
}

function validatorFor(route: DocumentedRoute, status: string): ValidateFunction | undefined {
  const responses = route.operation.responses;
  const documented = responses[status] ? status : responses[`${status[0]}XX`] ? `${status[0]}XX` : undefined;
  const content = documented ? responses[documented]!.content : undefined;
  if (!content) return undefined;
  const key = documented!;
  if (!route.validators.has(key)) {
    // Every content type of a response shares its schema (route-doc.ts).
    const [{ schema }] = Object.values(content) as [{ schema: object }];
    route.validators.set(key, ajv.compile(pointedAtComponents(schema)));
  }
  return route.validators.get(key);
}

/** Throws, naming the route, the status and the first schema error, when `body` is not what the document says. */
export function checkDocumentedResponse(method: string, path: string, status: number, body: unknown): void {
  // 304 carries no body, by HTTP; nothing to check.
  if (status === 304) return;
  const pathname = new URL(path, 'http://api.test').pathname;
  const resourcePaths = documentedRoutes().filter((route) => route.pattern.test(pathname));
  // API Gateway matches the most specific resource, and answers 405 for a method it lacks there.
  const route = resourcePaths.filter((candidate) => candidate.specificity === resourcePaths[0]?.specificity).find((r) => r.method === method.toUpperCase());
  if (!route) return;
  const name = `${route.method} ${route.resource}`;
  const validate = validatorFor(route, String(status));
  if (!validate) throw new Error(`${name} answered ${status}, which its OpenAPI description does not document: ${JSON.stringify(body)?.slice(0, 300)}`);
  if (!validate(body)) {
    const [first] = validate.errors ?? [];
    throw new Error(
      `${name} answered ${status} with a body its documented schema refuses: ${first?.instancePath || '(body)'} ${first?.message} ${JSON.stringify(first?.params)}; body ${JSON.stringify(body)?.slice(0, 300)}`,
    );
  }
}

/** Throws unless `payload` is an event the document's `webhooks` section describes, as described. */
export function checkDocumentedEvent(payload: { type?: unknown }): void {
  documentedRoutes();
  const type = String(payload.type);
  const item = webhooks[type];
  if (!item) throw new Error(`A webhook event the OpenAPI document does not describe: ${type}`);
  if (!eventValidators.has(type)) eventValidators.set(type, ajv.compile(item.post.requestBody.content['application/json'].schema));
  const validate = eventValidators.get(type)!;
  if (!validate(payload)) {
    const [first] = validate.errors ?? [];
    throw new Error(
      `A ${type} payload its documented schema refuses: ${first?.instancePath || '(body)'} ${first?.message}; ${JSON.stringify(payload).slice(0, 300)}`,
    );
  }
}
