/**
 * The S3 website endpoint and anonymous REST GETs, as pure functions of the
 * sandbox: (method, url) -> {status, headers, body}. Used by the `curl` builtin
 * and the app's website preview. Every object read is a GetObject by the
 * anonymous identity, so bucket policies, ACLs and Block Public Access decide
 * exactly as they do for the API (403 AccessDenied unless the content is public).
 *
 * Endpoint names: BUCKET.s3-website-REGION.amazonaws.com (older regions) or
 * BUCKET.s3-website.REGION.amazonaws.com (newer ones); website endpoints speak
 * HTTP only.
 */
import type { Sandbox, ApiResponse } from '../../sandbox';
import { ANONYMOUS_IDENTITY } from '../../identity';
import { httpDate } from '../../clock';
import { isRegion } from '../../regions';
import { md5Hex, utf8 } from '../../store/blobs';
import type { BucketRow } from './model';
import type { RoutingRule, WebsiteConfig } from './handlers/website';
import { registerView } from '../../views';
import { keepingLastDenial } from '../iam/authz';

/** Regions whose website endpoint uses a dash (s3-website-REGION); the others use a dot. */
export const DASH_WEBSITE_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
  'us-gov-west-1',
]);

export function websiteHost(bucket: string, region: string): string {
  return DASH_WEBSITE_REGIONS.has(region) ? `${bucket}.s3-website-${region}.amazonaws.com` : `${bucket}.s3-website.${region}.amazonaws.com`;
}

export const websiteUrl = (bucket: string, region: string) => `http://${websiteHost(bucket, region)}`;

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Uint8Array;
}

export type FetchResult = HttpResponse | { error: string; code: number };

export type ParsedHost =
  | { kind: 'website'; bucket: string; region: string }
  | { kind: 'rest'; bucket?: string; region?: string }
  | { kind: 'accelerate'; bucket: string };

/** What kind of S3 endpoint a host name is, if any. */
export function parseS3Host(host: string): ParsedHost | undefined {
  const h = host.toLowerCase();
  let m = /^(.+)\.s3-website[-.]([a-z0-9-]+)\.amazonaws\.com$/.exec(h);
  if (m) {
    const dash = h.includes(`.s3-website-${m[2]}.`);
    // the wrong form for a region does not resolve
    if (dash !== DASH_WEBSITE_REGIONS.has(m[2]!)) return undefined;
    return { kind: 'website', bucket: m[1]!, region: m[2]! };
  }
  m = /^(.+)\.s3-accelerate(\.dualstack)?\.amazonaws\.com$/.exec(h);
  if (m) return { kind: 'accelerate', bucket: m[1]! };
  m = /^(?:(.+)\.)?s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com$/.exec(h);
  if (m) {
    const region = m[2] && m[2] !== 'external-1' ? m[2] : undefined;
    return { kind: 'rest', ...(m[1] ? { bucket: m[1] } : {}), ...(region ? { region } : {}) };
  }
  return undefined;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

function ids(sandbox: Sandbox, seed: string): { requestId: string; hostId: string } {
  const h = md5Hex(utf8.encode(`${sandbox.now()}|${seed}`)).toUpperCase();
  const h2 = md5Hex(utf8.encode(`host|${seed}|${h}`));
  return { requestId: h.slice(0, 16), hostId: btoa(h2 + h2.slice(0, 12)).slice(0, 76) };
}

function baseHeaders(sandbox: Sandbox, seed: string): [string, string][] {
  const { requestId, hostId } = ids(sandbox, seed);
  return [
    ['x-amz-id-2', hostId],
    ['x-amz-request-id', requestId],
    ['Date', httpDate(sandbox.now())],
  ];
}

function respond(sandbox: Sandbox, seed: string, status: number, extra: [string, string][], body: Uint8Array): HttpResponse {
  const headers = [...baseHeaders(sandbox, seed), ...extra];
  if (!extra.some(([k]) => k.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(body.byteLength)]);
  headers.push(['Server', 'AmazonS3']);
  return { status, statusText: STATUS_TEXT[status] ?? '', headers, body };
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface WebError {
  status: number;
  code: string;
  message: string;
  fields?: [string, string][];
}

function errorPage(sandbox: Sandbox, seed: string, err: WebError, docError?: { code: string; message: string }): string {
  const { requestId, hostId } = ids(sandbox, seed);
  const title = `${err.status} ${STATUS_TEXT[err.status] ?? ''}`;
  const items = [['Code', err.code], ['Message', err.message], ...(err.fields ?? []), ['RequestId', requestId], ['HostId', hostId]];
  let html = `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n`;
  for (const [k, v] of items) html += `<li>${k}: ${esc(v!)}</li>\n`;
  html += '</ul>\n';
  if (docError) {
    html += `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: ${docError.code}</li>\n<li>Message: ${esc(docError.message)}</li>\n</ul>\n`;
  }
  html += '<hr/>\n</body>\n</html>\n';
  return html;
}

function htmlError(sandbox: Sandbox, seed: string, err: WebError, head: boolean, docError?: { code: string; message: string }): HttpResponse {
  const body = utf8.encode(errorPage(sandbox, seed, err, docError));
  const extra: [string, string][] = [
    ['x-amz-error-code', err.code],
    ['x-amz-error-message', err.message],
    ...(err.fields ?? []).map(([k, v]) => [`x-amz-error-detail-${k}`, v] as [string, string]),
    ['Content-Type', 'text/html; charset=utf-8'],
    ['Content-Length', String(body.byteLength)],
  ];
  return respond(sandbox, seed, err.status, extra, head ? new Uint8Array(0) : body);
}

function redirect(sandbox: Sandbox, seed: string, status: number, location: string): HttpResponse {
  return respond(sandbox, seed, status, [['Location', location], ['Content-Length', '0']], new Uint8Array(0));
}

function objectResponse(sandbox: Sandbox, seed: string, out: Record<string, unknown>, status: number, head: boolean): HttpResponse {
  const body = out['Body'] instanceof Uint8Array ? out['Body'] : new Uint8Array(0);
  const extra: [string, string][] = [];
  if (typeof out['LastModified'] === 'string') extra.push(['Last-Modified', httpDate(Date.parse(out['LastModified']))]);
  if (typeof out['ETag'] === 'string') extra.push(['ETag', out['ETag']]);
  if (typeof out['CacheControl'] === 'string') extra.push(['Cache-Control', out['CacheControl']]);
  if (typeof out['ContentEncoding'] === 'string') extra.push(['Content-Encoding', out['ContentEncoding']]);
  if (typeof out['ServerSideEncryption'] === 'string') extra.push(['x-amz-server-side-encryption', out['ServerSideEncryption']]);
  for (const [k, v] of Object.entries((out['Metadata'] as Record<string, string> | undefined) ?? {})) extra.push([`x-amz-meta-${k}`, v]);
  extra.push(['Content-Type', typeof out['ContentType'] === 'string' ? out['ContentType'] : 'binary/octet-stream']);
  extra.push(['Content-Length', String(typeof out['ContentLength'] === 'number' ? out['ContentLength'] : body.byteLength)]);
  return respond(sandbox, seed, status, extra, head ? new Uint8Array(0) : body);
}

function bucketRow(sandbox: Sandbox, name: string): BucketRow | undefined {
  return sandbox.db.table<BucketRow>('s3.buckets').get(name);
}

function anonGet(sandbox: Sandbox, region: string, bucket: string, key: string): ApiResponse {
  return sandbox.call({ service: 's3', operation: 'GetObject', input: { Bucket: bucket, Key: key }, identity: ANONYMOUS_IDENTITY, region });
}

function matchRule(rules: readonly RoutingRule[] | undefined, key: string, errorCode: number | undefined): RoutingRule | undefined {
  for (const r of rules ?? []) {
    const c = r.Condition;
    const prefixOk = c?.KeyPrefixEquals === undefined || key.startsWith(c.KeyPrefixEquals);
    const codeOk = c?.HttpErrorCodeReturnedEquals === undefined ? errorCode === undefined : String(errorCode) === c.HttpErrorCodeReturnedEquals;
    if (prefixOk && codeOk) return r;
  }
  return undefined;
}

function ruleLocation(r: RoutingRule, key: string, host: string): string {
  const red = r.Redirect;
  const prefix = r.Condition?.KeyPrefixEquals ?? '';
  const newKey = red.ReplaceKeyWith !== undefined ? red.ReplaceKeyWith : red.ReplaceKeyPrefixWith !== undefined ? red.ReplaceKeyPrefixWith + key.slice(prefix.length) : key;
  return `${red.Protocol ?? 'http'}://${red.HostName ?? host}/${newKey}`;
}

function decodePath(path: string): string {
  const p = path.replace(/^\//, '');
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

const asWebError = (r: Extract<ApiResponse, { ok: false }>, key: string): WebError => {
  const e = r.error;
  if (e.code === 'NoSuchKey') return { status: 404, code: 'NoSuchKey', message: e.message, fields: [['Key', key]] };
  if (e.httpStatus === 403 || e.code === 'AccessDenied') return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  return { status: e.httpStatus, code: e.code, message: e.message };
};

/** Serve one request to a website endpoint. */
export function serveWebsite(sandbox: Sandbox, method: string, host: string, bucketName: string, region: string, path: string): HttpResponse {
  const head = method === 'HEAD';
  const seed = `${method} ${host}${path}`;
  if (method !== 'GET' && method !== 'HEAD') {
    return htmlError(sandbox, seed, { status: 405, code: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.', fields: [['Method', method], ['ResourceType', 'OBJECT']] }, head);
  }
  const b = bucketRow(sandbox, bucketName);
  if (!b) return htmlError(sandbox, seed, { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist', fields: [['BucketName', bucketName]] }, head);
  if (b.region !== region) {
    return htmlError(sandbox, seed, { status: 301, code: 'PermanentRedirect', message: 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', fields: [['Bucket', bucketName], ['Endpoint', websiteHost(bucketName, b.region)]] }, head);
  }
  const w = b.website as WebsiteConfig | undefined;
  if (!w) return htmlError(sandbox, seed, { status: 404, code: 'NoSuchWebsiteConfiguration', message: 'The specified bucket does not have a website configuration', fields: [['BucketName', bucketName]] }, head);
  const rawKey = decodePath(path.split('?')[0] ?? '/');
  if (w.RedirectAllRequestsTo) {
    return redirect(sandbox, seed, 301, `${w.RedirectAllRequestsTo.Protocol ?? 'http'}://${w.RedirectAllRequestsTo.HostName}/${rawKey}`);
  }
  const pre = matchRule(w.RoutingRules, rawKey, undefined);
  if (pre) return redirect(sandbox, seed, Number(pre.Redirect.HttpRedirectCode ?? '301'), ruleLocation(pre, rawKey, host));
  const suffix = w.IndexDocument?.Suffix ?? 'index.html';
  const key = rawKey === '' || rawKey.endsWith('/') ? rawKey + suffix : rawKey;
  const r = anonGet(sandbox, region, bucketName, key);
  if (r.ok) {
    const out = r.output as Record<string, unknown>;
    if (typeof out['WebsiteRedirectLocation'] === 'string') return redirect(sandbox, seed, 301, out['WebsiteRedirectLocation']);
    return objectResponse(sandbox, seed, out, 200, head);
  }
  let err = asWebError(r, key);
  if ((err.status === 404 || err.status === 403) && key === rawKey) {
    // a "folder" without its trailing slash: redirect when FOLDER/index exists
    const folder = anonGet(sandbox, region, bucketName, `${rawKey}/${suffix}`);
    if (folder.ok) return redirect(sandbox, seed, 302, `/${rawKey}/`);
  }
  const onError = matchRule(w.RoutingRules, rawKey, err.status);
  if (onError) return redirect(sandbox, seed, Number(onError.Redirect.HttpRedirectCode ?? '301'), ruleLocation(onError, rawKey, host));
  if (err.status >= 400 && err.status < 500 && w.ErrorDocument) {
    const doc = anonGet(sandbox, region, bucketName, w.ErrorDocument.Key);
    if (doc.ok) return objectResponse(sandbox, seed, doc.output as Record<string, unknown>, err.status, head);
    const de = asWebError(doc, w.ErrorDocument.Key);
    return htmlError(sandbox, seed, err, head, { code: de.code, message: de.message });
  }
  if (err.status >= 500) err = { status: err.status, code: err.code, message: err.message };
  return htmlError(sandbox, seed, err, head);
}

function xmlError(sandbox: Sandbox, seed: string, status: number, code: string, message: string, fields: [string, string][], head: boolean): HttpResponse {
  const { requestId, hostId } = ids(sandbox, seed);
  const inner = fields.map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
  const body = utf8.encode(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message>${inner}<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`);
  return respond(sandbox, seed, status, [['Content-Type', 'application/xml'], ['Transfer-Encoding', 'chunked'], ['Content-Length', String(body.byteLength)]], head ? new Uint8Array(0) : body);
}

/** Serve an anonymous request to the S3 REST endpoint (objects, and a bucket listing for the bucket root). */
export function serveRest(sandbox: Sandbox, method: string, host: string, parsed: { bucket?: string; region?: string }, path: string): HttpResponse {
  const head = method === 'HEAD';
  const seed = `${method} ${host}${path}`;
  let bucket = parsed.bucket;
  let rest = path.split('?')[0] ?? '/';
  if (!bucket) {
    const parts = rest.replace(/^\//, '').split('/');
    bucket = parts.shift() || undefined;
    rest = '/' + parts.join('/');
  }
  if (!bucket) return xmlError(sandbox, seed, 403, 'AccessDenied', 'Access Denied', [], head);
  const b = bucketRow(sandbox, bucket);
  const region = b?.region ?? parsed.region ?? 'us-east-1';
  if (b && parsed.region && parsed.region !== b.region) {
    return xmlError(sandbox, seed, 301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', [['Endpoint', `${bucket}.s3.${b.region}.amazonaws.com`], ['Bucket', bucket]], head);
  }
  if (method !== 'GET' && method !== 'HEAD') return xmlError(sandbox, seed, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', [['Method', method]], head);
  const key = decodePath(rest);
  if (key === '') {
    const r = sandbox.call({ service: 's3', operation: 'ListObjectsV2', input: { Bucket: bucket }, identity: ANONYMOUS_IDENTITY, region });
    if (!r.ok) return xmlError(sandbox, seed, r.error.httpStatus, r.error.code, r.error.message, r.error.code === 'NoSuchBucket' ? [['BucketName', bucket]] : [], head);
    const out = r.output as { Contents?: { Key: string; LastModified: string; ETag: string; Size: number; StorageClass: string }[]; IsTruncated?: boolean; KeyCount?: number };
    const items = (out.Contents ?? [])
      .map((c) => `<Contents><Key>${esc(c.Key)}</Key><LastModified>${new Date(Date.parse(c.LastModified)).toISOString()}</LastModified><ETag>${esc(c.ETag)}</ETag><Size>${c.Size}</Size><StorageClass>${c.StorageClass}</StorageClass></Contents>`)
      .join('');
    const body = utf8.encode(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${esc(bucket)}</Name><Prefix></Prefix><KeyCount>${out.KeyCount ?? 0}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${out.IsTruncated ? 'true' : 'false'}</IsTruncated>${items}</ListBucketResult>`,
    );
    return respond(sandbox, seed, 200, [['x-amz-bucket-region', region], ['Content-Type', 'application/xml'], ['Content-Length', String(body.byteLength)]], head ? new Uint8Array(0) : body);
  }
  const r = anonGet(sandbox, region, bucket, key);
  if (r.ok) return objectResponse(sandbox, seed, r.output as Record<string, unknown>, 200, head);
  const e = r.error;
  const fields: [string, string][] = e.code === 'NoSuchKey' ? [['Key', key]] : e.code === 'NoSuchBucket' ? [['BucketName', bucket]] : [];
  return xmlError(sandbox, seed, e.httpStatus, e.code, e.message, fields, head);
}

/** Fetch a URL from the simulated S3 (website endpoints over HTTP, REST endpoints over HTTPS), or a connection error. */
export function fetchS3Url(sandbox: Sandbox, method: string, url: string): FetchResult {
  const m = /^(https?):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)(\?[^#]*)?/i.exec(url.trim());
  if (!m) return { error: `URL rejected: Malformed input to a URL function`, code: 3 };
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase();
  const path = (m[4] || '/') + (m[5] ?? '');
  const parsed = parseS3Host(host);
  if (!parsed) return { error: `Could not resolve host: ${host}`, code: 6 };
  if (parsed.kind === 'website') {
    if (!isRegion(parsed.region)) return { error: `Could not resolve host: ${host}`, code: 6 };
    if (scheme === 'https') return { error: `Failed to connect to ${host} port 443 after 21 ms: Connection refused (website endpoints serve HTTP only)`, code: 7 };
    return serveWebsite(sandbox, method, host, parsed.bucket, parsed.region, path);
  }
  if (parsed.kind === 'accelerate') {
    const b = bucketRow(sandbox, parsed.bucket);
    if (b && b.accelerate !== 'Enabled') {
      return xmlError(sandbox, `${method} ${host}${path}`, 400, 'InvalidRequest', 'S3 Transfer Acceleration is not configured on this bucket', [], method === 'HEAD');
    }
    return serveRest(sandbox, method, host, { bucket: parsed.bucket }, path);
  }
  if (parsed.region && !isRegion(parsed.region)) return { error: `Could not resolve host: ${host}`, code: 6 };
  return serveRest(sandbox, method, host, parsed, path);
}

// ---------------------------------------------------------------- views for the app's Preview panel

const ROLLBACK = Symbol('website-preview-rollback');

/** Fetch without leaving a trace (views must not change state): the anonymous calls run in a transaction that is rolled back. */
export function previewFetch(sandbox: Sandbox, method: string, url: string): FetchResult {
  // the learner's last denial (sandbox explain-last-denial) is not replaced by the preview's own requests
  return keepingLastDenial(sandbox.db, () => {
    if (sandbox.db.inTransaction) return fetchS3Url(sandbox, method, url);
    let out: FetchResult | undefined;
    try {
      sandbox.db.transact(() => {
        out = fetchS3Url(sandbox, method, url);
        throw ROLLBACK;
      });
    } catch (e) {
      if (e !== ROLLBACK) throw e;
    }
    return out!;
  });
}

/** The buckets with a website configuration, and their endpoints. */
export function websiteList(sandbox: Sandbox): { bucket: string; region: string; url: string }[] {
  return [...sandbox.db.table<BucketRow>('s3.buckets').values()]
    .filter((b) => !!b.website)
    .map((b) => ({ bucket: b.name, region: b.region, url: websiteUrl(b.name, b.region) + '/' }))
    .sort((a, b) => a.bucket.localeCompare(b.bucket));
}

registerView('s3.website', (sb, args) => previewFetch(sb, typeof args['method'] === 'string' ? args['method'] : 'GET', String(args['url'] ?? '')));
registerView('s3.websites', (sb) => websiteList(sb));
