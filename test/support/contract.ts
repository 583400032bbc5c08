// The contract check: every response the test clients (http.ts, reliability.ts) receive from the engine is
// validated against the OpenAPI document the engine serves, built here from the same route specs. Mismatches
// are recorded (contract-mismatches.ts) and fail the test that received them.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { apiDocument, describedRoutes } from '../../api/app';
import { recordChecked, recordMismatch } from './contract-mismatches';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal segments win over parameters (`/pledges/export.csv` over `/pledges/{id}`). */
  literals: number;
  responses: Record<string, Json>;
}

interface Contract {
  document: Json;
  operations: Operation[];
  validator(schema: Json): ValidateFunction;
}

const SCHEMA_ID = 'https://nsatu-engine.invalid/openapi.json';

/**
 * The document as a strict validator sees it: an object schema that lists its properties accepts no others, so
 * a field the document does not describe fails the check. (The served document stays open: clients must
 * tolerate fields added later.) No schema of the document combines objects with allOf, where this would be wrong.
 */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== 'object') return node;
  const obj = Object.fromEntries<unknown>(Object.entries(node).map(([k, v]) => [k, strict(v)]));
  if (obj.allOf) throw new Error('the strict contract check does not handle allOf schemas');
  if (obj.properties && typeof obj.properties === 'object' && !('additionalProperties' in obj)) {
    obj.unevaluatedProperties = false;
  }
  return obj;
}

/** Local references (`#/components/...`) made absolute, so a schema compiled on its own resolves them. */
function absolute(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absolute);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${SCHEMA_ID}${v}` : absolute(v),
    ]),
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let loaded: Contract | undefined;

function contract(): Contract {
  if (loaded) return loaded;
  const document = apiDocument(describedRoutes()) as unknown as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: SCHEMA_ID, components: strict(document.components) as Json });
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    const segments = template.split('/').filter(Boolean);
    // Express matches case-insensitively and takes a trailing slash: so does this.
    const pattern = new RegExp(
      `^/${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : escapeRegExp(s))).join('/')}/?$`,
      'i',
    );
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern,
        literals: segments.filter((s) => !s.startsWith('{')).length,
        responses: op.responses as Record<string, Json>,
      });
    }
  }
  const cache = new Map<string, ValidateFunction>();
  loaded = {
    document,
    operations,
    validator(schema) {
      const key = JSON.stringify(schema);
      let validate = cache.get(key);
      if (!validate) cache.set(key, (validate = ajv.compile(absolute(strict(schema)) as Json)));
      return validate;
    },
  };
  return loaded;
}

/** The operation of the document that answers this request, as Express would route it. */
function operationFor(c: Contract, method: string, pathname: string): Operation | undefined {
  return c.operations
    .filter((op) => op.method === method && op.pattern.test(pathname))
    .sort((a, b) => b.literals - a.literals)[0];
}

function resolve(c: Contract, node: Json): Json {
  if (typeof node.$ref !== 'string') return node;
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (at as Json)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], c.document);
  return { ...(target as Json), ...(node.description ? { description: node.description } : {}) };
}

const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0].trim().toLowerCase();

/** What is wrong with a response to an operation, by the document. */
function problemsOf(c: Contract, op: Operation, res: ObservedResponse): string[] {
  const documented =
    op.responses[String(res.status)] ?? op.responses[`${String(res.status)[0]}XX`] ?? op.responses.default;
  if (!documented) {
    return [`status ${res.status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`];
  }
  const response = resolve(c, documented);
  const content = response.content as Record<string, { schema: Json }> | undefined;
  if (!content) return res.text ? [`a body where the document says none: ${res.text.slice(0, 200)}`] : [];
  const type = mediaType(res.headers.get('content-type'));
  const media = content[type];
  if (!media) {
    return [`content type "${type || '(none)'}"; the document says ${Object.keys(content).join(' or ')}`];
  }
  let body: unknown = res.text;
  if (type === 'application/json') {
    try {
      body = JSON.parse(res.text);
    } catch {
      return [`a body that is not JSON: ${res.text.slice(0, 200)}`];
    }
  }
  const validate = c.validator(media.schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => {
    const extra = (e.params as { unevaluatedProperty?: string }).unevaluatedProperty;
    return `${e.instancePath || '(body)'} ${e.message}${extra ? `: "${extra}"` : ''} (${e.schemaPath})`;
  });
}

export interface ObservedResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Checks one response the engine gave against the document; a mismatch is recorded for the running test to
 * fail on. Not checked: answers Node's HTTP parser gives before the engine sees the request (no X-Request-Id:
 * a URL or headers beyond its limits), and pages outside the API (the web app, the Swagger UI).
 */
export function checkResponse(request: { method: string; url: string }, res: ObservedResponse): void {
  const method = request.method.toUpperCase();
  const { pathname, search } = new URL(request.url);
  const exchange = `${method} ${pathname}${search.length > 200 ? `${search.slice(0, 200)}…` : search} → ${res.status}`;
  if (!res.headers.has('x-request-id')) {
    if (res.status === 400 || res.status === 431) return recordChecked(true);
    return recordMismatch({
      exchange,
      problems: ['no X-Request-Id: every answer of the engine carries one'],
    });
  }
  const c = contract();
  const op = operationFor(c, method, pathname);
  if (!op) {
    const api = /^\/api\/v1(\/|$)/i.test(pathname);
    if (!api) return recordChecked(true);
    // A path or method the API does not have: the JSON 404, or the error of the body parser, which runs first.
    const problems = [400, 404, 413, 415].includes(res.status)
      ? problemsOf(c, { ...unknownRoute, responses: { [res.status]: errorResponse } }, res)
      : [`no documented operation for ${method} ${pathname}, yet answered ${res.status}`];
    recordChecked();
    if (problems.length) recordMismatch({ exchange, problems });
    return;
  }
  recordChecked();
  const problems = problemsOf(c, op, res);
  if (problems.length) recordMismatch({ exchange: `${exchange} (${op.method} ${op.template})`, problems });
}

const unknownRoute: Omit<Operation, 'responses'> = { method: '', template: '', pattern: /$^/, literals: 0 };
const errorResponse = {
  description: 'An error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
};

/** The document the check validates against (built once per test file). */
export const contractDocument = () => contract().document;
