/**
 * `curl` for the simulated S3: website endpoints (http://BUCKET.s3-website-REGION.amazonaws.com/...)
 * and anonymous REST GETs (https://BUCKET.s3.amazonaws.com/KEY). Nothing leaves the browser:
 * other hosts do not resolve.
 */
import { resolvePath } from '../../engine';
import { fetchS3Url, type FetchResult, type HttpResponse } from '../../engine/services/s3/website';
import { builtin } from './util';
import type { Sandbox } from '../../engine';
import { requestTaskIp } from '../../engine/services/ecs/http';

/** An IPv4 host is a task or instance of the sandbox (the ECS tutorials end that way); names are S3 endpoints. */
function fetchUrl(sb: Sandbox, method: string, url: string): FetchResult {
  const m = /^http:\/\/(\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?(\/[^#]*)?$/i.exec(url);
  if (!m) return fetchS3Url(sb, method, url);
  const ip = m[1]!;
  const port = m[2] ? Number(m[2]) : 80;
  return requestTaskIp(sb, method, ip, port, m[3] ?? '/');
}

const USAGE = `Usage: curl [options...] <url>
Fetch a URL from the simulated AWS: S3 website endpoints (HTTP), S3 object URLs
(HTTPS, as an anonymous visitor) and the public IP address of a running ECS task or
EC2 instance (http://IP[:PORT]/, through its security groups). Other hosts do not
resolve: the sandbox is offline.

  -i, --include        show the response status line and headers before the body
  -I, --head           send a HEAD request and show only the headers
  -L, --location       follow redirects (3XX with Location)
  -s, --silent         no error messages
  -S, --show-error     show errors even with -s
  -f, --fail           fail (exit 22) on HTTP errors, without printing the body
  -o, --output FILE    write the body to FILE
  -X, --request METHOD use METHOD (GET, HEAD ...)
  -w, --write-out FMT  print FMT after the transfer (%{http_code}, %{content_type}, %{redirect_url}, %{url_effective})
  -v, --verbose        show the request and response headers on standard error

Examples:
  curl http://my-site.s3-website-us-east-1.amazonaws.com/
  curl -i http://my-site.s3-website.eu-central-1.amazonaws.com/missing
  curl -sL -o page.html http://my-site.s3-website-us-east-1.amazonaws.com/docs
`;

function resolveLocation(base: string, loc: string): string {
  if (/^https?:\/\//i.test(loc)) return loc;
  const m = /^(https?:\/\/[^/]+)/i.exec(base);
  return (m?.[1] ?? '') + (loc.startsWith('/') ? loc : '/' + loc);
}

function headerText(r: HttpResponse): string {
  return `HTTP/1.1 ${r.status} ${r.statusText}\n` + r.headers.map(([k, v]) => `${k}: ${v}\n`).join('') + '\n';
}

builtin({
  name: 'curl',
  summary: 'fetch a URL from the simulated S3 (website endpoints, object URLs)',
  usage: USAGE,
  run(ctx, argv) {
    let include = false;
    let head = false;
    let follow = false;
    let silent = false;
    let showError = false;
    let fail = false;
    let verbose = false;
    let output: string | undefined;
    let method: string | undefined;
    let writeOut: string | undefined;
    const urls: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const needs = (name: string): string | undefined => {
        const v = argv[++i];
        if (v === undefined) ctx.err(`curl: option ${name}: requires parameter\ncurl: try 'curl --help' for more information\n`);
        return v;
      };
      if (a === '--include') include = true;
      else if (a === '--head') head = true;
      else if (a === '--location') follow = true;
      else if (a === '--silent') silent = true;
      else if (a === '--show-error') showError = true;
      else if (a === '--fail') fail = true;
      else if (a === '--verbose') verbose = true;
      else if (a === '-o' || a === '--output') {
        const v = needs(a);
        if (v === undefined) return 2;
        output = v;
      } else if (a === '-X' || a === '--request') {
        const v = needs(a);
        if (v === undefined) return 2;
        method = v.toUpperCase();
      } else if (a === '-w' || a === '--write-out') {
        const v = needs(a);
        if (v === undefined) return 2;
        writeOut = v;
      } else if (/^-[a-zA-Z]+$/.test(a)) {
        for (const c of a.slice(1)) {
          if (c === 'i') include = true;
          else if (c === 'I') head = true;
          else if (c === 'L') follow = true;
          else if (c === 's') silent = true;
          else if (c === 'S') showError = true;
          else if (c === 'f') fail = true;
          else if (c === 'v') verbose = true;
          else {
            ctx.err(`curl: option -${c}: is unknown\ncurl: try 'curl --help' for more information\n`);
            return 2;
          }
        }
      } else if (a.startsWith('--')) {
        ctx.err(`curl: option ${a}: is unknown\ncurl: try 'curl --help' for more information\n`);
        return 2;
      } else urls.push(a);
    }
    if (!urls.length) {
      ctx.err("curl: try 'curl --help' for more information\n");
      return 2;
    }
    const m = method ?? (head ? 'HEAD' : 'GET');
    let code = 0;
    for (const first of urls) {
      let url = /^[a-z]+:\/\//i.test(first) ? first : `http://${first}`;
      let r: HttpResponse | undefined;
      let headersOut = '';
      for (let hops = 0; ; hops++) {
        if (verbose) ctx.err(`> ${m} ${url.replace(/^https?:\/\/[^/]+/i, '') || '/'} HTTP/1.1\n> Host: ${/^https?:\/\/([^/]+)/i.exec(url)?.[1] ?? ''}\n> User-Agent: curl/8.5.0\n> Accept: */*\n>\n`);
        const res = ctx.sandbox.mutate((sb) => fetchUrl(sb, m, url));
        if ('error' in res) {
          if (!silent || showError) ctx.err(`curl: (${res.code}) ${res.error}\n`);
          return res.code;
        }
        r = res;
        if (verbose) ctx.err(headerText(r).split('\n').filter(Boolean).map((l) => `< ${l}\n`).join('') + '<\n');
        if (include || head) headersOut += headerText(r);
        const loc = r.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
        if (!follow || !loc || r.status < 300 || r.status >= 400) break;
        if (hops >= 50) {
          if (!silent || showError) ctx.err('curl: (47) Maximum (50) redirects followed\n');
          return 47;
        }
        url = resolveLocation(url, loc);
      }
      if (!r) continue;
      if (fail && r.status >= 400) {
        if (!silent || showError) ctx.err(`curl: (22) The requested URL returned error: ${r.status}\n`);
        code = 22;
        continue;
      }
      const body = m === 'HEAD' ? new Uint8Array(0) : r.body;
      if (output !== undefined) {
        const abs = resolvePath(output, ctx.cwd);
        ctx.sandbox.mutate((sb) => sb.vfs.writeBytes(abs, body));
        if (headersOut) ctx.out(headersOut);
      } else {
        ctx.out(headersOut + new TextDecoder().decode(body));
      }
      if (writeOut !== undefined) {
        const ct = r.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
        const loc = r.headers.find(([k]) => k.toLowerCase() === 'location')?.[1] ?? '';
        ctx.out(
          writeOut
            .replace(/%\{http_code\}|%\{response_code\}/g, String(r.status))
            .replace(/%\{content_type\}/g, ct)
            .replace(/%\{redirect_url\}/g, loc ? resolveLocation(url, loc) : '')
            .replace(/%\{url_effective\}/g, url)
            .replace(/%\{size_download\}/g, String(body.byteLength))
            .replace(/\\n/g, '\n'),
        );
      }
    }
    return code;
  },
});
