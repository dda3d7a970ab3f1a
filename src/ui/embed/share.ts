/**
 * "Open in full sandbox": the state of an embed travels in the URL hash,
 * deflated with fflate and base64url-encoded, because an embedded iframe has
 * its own storage partition.
 */
import { zlibSync, unzlibSync, strToU8, strFromU8 } from 'fflate';

export const STATE_HASH_KEY = 'state';

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) bin += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeState(json: string): string {
  return toBase64Url(zlibSync(strToU8(json), { level: 9 }));
}

export function decodeState(encoded: string): string {
  return strFromU8(unzlibSync(fromBase64Url(encoded)));
}

/** The state carried by a hash like `#state=...`, or null. */
export function stateFromHash(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const v = new URLSearchParams(h).get(STATE_HASH_KEY);
  if (!v) return null;
  try {
    return decodeState(v);
  } catch {
    return null;
  }
}

/** The full-sandbox URL for this page's base with the state in the hash. */
export function fullSandboxUrl(base: string, json: string): string {
  const u = new URL(base);
  u.search = '';
  u.hash = `${STATE_HASH_KEY}=${encodeState(json)}`;
  return u.toString();
}
