/**
 * The simulated cipher behind KMS and client-side encryption. It is NOT real
 * cryptography: a keystream from MD5 of (secret, nonce, counter) XORed with the
 * data, and an MD5 tag. It is deterministic (nonces come from the seeded rng),
 * synchronous and small, which is what a teaching sandbox needs; ciphertext looks
 * like ciphertext and only this simulation can open it.
 */
import { md5Hex, utf8, toBase64, fromBase64 } from '../../store/blobs';

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** XOR `data` with the keystream of (secret, nonce). Symmetric: the same call decrypts. */
export function keystreamXor(secret: string, nonce: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  const seed = utf8.encode(`${secret}:${nonce}:`);
  const buf = new Uint8Array(seed.length + 8);
  buf.set(seed);
  for (let block = 0, off = 0; off < data.length; block++, off += 16) {
    const c = String(block).padStart(8, '0');
    for (let i = 0; i < 8; i++) buf[seed.length + i] = c.charCodeAt(i);
    const ks = hexBytes(md5Hex(buf));
    const n = Math.min(16, data.length - off);
    for (let i = 0; i < n; i++) out[off + i] = data[off + i]! ^ ks[i]!;
  }
  return out;
}

/** A 16-byte tag over the secret, nonce, context and ciphertext. */
export function tag(secret: string, nonce: string, context: string, cipher: Uint8Array): Uint8Array {
  const head = utf8.encode(`${secret}|${nonce}|${context}|`);
  const all = new Uint8Array(head.length + cipher.length);
  all.set(head);
  all.set(cipher, head.length);
  return hexBytes(md5Hex(all));
}

/** Canonical text of an encryption context (sorted keys). */
export function contextText(ctx: Record<string, string> | undefined): string {
  if (!ctx) return '';
  return Object.keys(ctx)
    .sort()
    .map((k) => `${k}=${ctx[k]}`)
    .join('&');
}

/** Header bytes shared with real KMS blobs (so the base64 starts with AQICAHh, as real ones do). */
const MAGIC = [0x01, 0x02, 0x02, 0x00, 0x78];

/** Seal `plain` under a key: header, key id (36 chars), 12-byte nonce, 16-byte tag, payload. */
export function sealBlob(keyId: string, secret: string, nonceHex: string, plain: Uint8Array, context?: Record<string, string>): Uint8Array {
  const cipher = keystreamXor(secret, nonceHex, plain);
  const t = tag(secret, nonceHex, contextText(context), cipher);
  const id = utf8.encode(keyId.padEnd(36).slice(0, 36));
  const nonce = hexBytes(nonceHex.slice(0, 24).padEnd(24, '0'));
  const out = new Uint8Array(MAGIC.length + 36 + 12 + 16 + cipher.length);
  let o = 0;
  out.set(MAGIC, o);
  o += MAGIC.length;
  out.set(id, o);
  o += 36;
  out.set(nonce, o);
  o += 12;
  out.set(t, o);
  o += 16;
  out.set(cipher, o);
  return out;
}

/** The key id a blob names, or undefined when it is not one of ours. */
export function blobKeyId(blob: Uint8Array): string | undefined {
  if (blob.length < MAGIC.length + 36 + 12 + 16) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (blob[i] !== MAGIC[i]) return undefined;
  return utf8.decode(blob.subarray(MAGIC.length, MAGIC.length + 36)).trim();
}

/** Open a blob with the key's secret; undefined when the tag does not match (wrong key, context or tampering). */
export function openBlob(secret: string, blob: Uint8Array, context?: Record<string, string>): Uint8Array | undefined {
  if (blobKeyId(blob) === undefined) return undefined;
  let o = MAGIC.length + 36;
  const nonceHex = bytesHex(blob.subarray(o, o + 12));
  o += 12;
  const t = blob.subarray(o, o + 16);
  o += 16;
  const cipher = blob.subarray(o);
  const expect = tag(secret, nonceHex, contextText(context), cipher);
  for (let i = 0; i < 16; i++) if (expect[i] !== t[i]) return undefined;
  return keystreamXor(secret, nonceHex, cipher);
}

export { hexBytes, toBase64, fromBase64 };
