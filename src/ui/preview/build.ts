/**
 * Turns a website endpoint response into a document for the Preview panel's
 * sandboxed iframe (srcdoc, `sandbox="allow-scripts"`, no allow-same-origin:
 * an opaque origin that cannot read the app's storage, cookies or DOM).
 * Resources of the site (images, scripts, style sheets on S3 hosts) are fetched
 * from the model and inlined as data: URLs; clicks on links are posted to the
 * panel, which fetches the next page (the frame never navigates by itself).
 */

export type PreviewResponse = { status: number; statusText: string; headers: [string, string][]; body: Uint8Array } | { error: string; code: number };
export type Fetcher = (url: string) => Promise<PreviewResponse>;

export const NAV_MESSAGE = 'nimbus-preview:navigate';

const NAV_SCRIPT = `document.addEventListener('click', function (e) {
  var a = e.target && e.target.closest ? e.target.closest('a[href]') : null;
  if (!a || !/^https?:/i.test(a.href)) return;
  e.preventDefault();
  parent.postMessage({ type: '${NAV_MESSAGE}', href: a.href }, '*');
}, true);`;

export function isS3Url(url: string): boolean {
  return /^https?:\/\/[^/]*\.amazonaws\.com(\/|$)/i.test(url) && /(^|\.)s3([.-]|$)|s3-website|s3-accelerate/i.test(new URL(url).hostname);
}

export function header(r: PreviewResponse, name: string): string | undefined {
  if ('error' in r) return undefined;
  return r.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function dataUrl(fetcher: Fetcher, url: string): Promise<string | undefined> {
  let u = url;
  for (let i = 0; i < 5; i++) {
    const r = await fetcher(u);
    if ('error' in r) return undefined;
    const loc = header(r, 'location');
    if (r.status >= 300 && r.status < 400 && loc) {
      u = new URL(loc, u).href;
      continue;
    }
    if (r.status !== 200) return undefined;
    return `data:${header(r, 'content-type') ?? 'application/octet-stream'};base64,${base64(r.body)}`;
  }
  return undefined;
}

/** The srcdoc for a final (non-redirect) response at `url`. */
export async function buildDocument(r: PreviewResponse, url: string, fetcher: Fetcher): Promise<string> {
  if ('error' in r) return `<!doctype html><pre>curl: (${r.code}) ${escapeHtml(r.error)}</pre>`;
  const type = (header(r, 'content-type') ?? '').toLowerCase();
  if (type.startsWith('image/')) return `<!doctype html><body style="margin:0"><img alt="" src="data:${type};base64,${base64(r.body)}"></body>`;
  const text = new TextDecoder().decode(r.body);
  if (!type.includes('html')) return `<!doctype html><pre style="white-space:pre-wrap">${escapeHtml(text)}</pre>`;
  const doc = new DOMParser().parseFromString(text, 'text/html');
  const jobs: Promise<void>[] = [];
  const inline = (el: Element, attr: string) => {
    const raw = el.getAttribute(attr);
    if (!raw || /^(data|blob|javascript|about|mailto):/i.test(raw)) return;
    let abs: string;
    try {
      abs = new URL(raw, url).href;
    } catch {
      return;
    }
    if (!isS3Url(abs)) return;
    jobs.push(
      dataUrl(fetcher, abs).then((d) => {
        if (d) el.setAttribute(attr, d);
        else el.removeAttribute(attr);
      }),
    );
  };
  doc.querySelectorAll('img[src], script[src], audio[src], video[src], source[src], iframe[src]').forEach((el) => inline(el, 'src'));
  doc.querySelectorAll('link[href]').forEach((el) => {
    if (/stylesheet|icon/i.test(el.getAttribute('rel') ?? '')) inline(el, 'href');
  });
  await Promise.all(jobs);
  const baseEl = doc.createElement('base');
  baseEl.setAttribute('href', url);
  const nav = doc.createElement('script');
  nav.textContent = NAV_SCRIPT;
  doc.head.prepend(nav);
  doc.head.prepend(baseEl);
  return '<!doctype html>\n' + doc.documentElement.outerHTML;
}
