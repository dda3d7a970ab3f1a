/**
 * Client-side encryption (S3 part 2): `sandbox encrypt` / `sandbox decrypt` encrypt a
 * file on "your computer" before it is uploaded, so S3 only ever stores ciphertext.
 *  - with a KMS key (--key-id): envelope encryption. KMS GenerateDataKey gives a data key
 *    in plaintext (used, then forgotten) and encrypted (kept in the file's header);
 *    decrypting asks KMS to Decrypt that encrypted data key first.
 *  - with a client-side master key (--master-key-file): the data key is wrapped with your
 *    own key; AWS never sees either (`sandbox encrypt --new-master-key FILE` makes one).
 * File format (ours): one header line `NIMBUS-CSE/1 {json}` then the ciphertext bytes; the
 * AWS S3 Encryption Client keeps the same facts (wrapped key, IV, algorithms) in object
 * metadata or an instruction file. The cipher is simulated (see engine/services/kms/crypto.ts).
 */
import { registerSandboxCommand } from './registry';
import type { CommandContext } from '../types';
import { ADMIN_IDENTITY, resolvePath, FsError } from '../../engine';
import { keystreamXor, tag, hexBytes, bytesHex, toBase64, fromBase64 } from '../../engine/services/kms/crypto';
import { resolveProfile } from '../aws/profiles';
import { utf8 } from '../../engine/store/blobs';

const MAGIC = 'NIMBUS-CSE/1 ';

interface Header {
  alg: string;
  wrap: 'kms' | 'master-key';
  keyId?: string;
  encryptedDataKey: string;
  iv: string;
  tag: string;
  context?: Record<string, string>;
}

function regionOf(ctx: CommandContext): string {
  return ctx.env['AWS_REGION'] ?? ctx.env['AWS_DEFAULT_REGION'] ?? ctx.session.region ?? 'us-east-1';
}

function identity(ctx: CommandContext) {
  return resolveProfile(ctx.sandbox, ctx.env['AWS_PROFILE'] ?? ctx.sandbox.config().currentProfile) ?? ADMIN_IDENTITY;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

function readMasterKey(ctx: CommandContext, file: string): string {
  const text = ctx.sandbox.vfs.readText(resolvePath(file, ctx.cwd)).trim();
  const bytes = fromBase64(text);
  if (bytes.length !== 32) throw new Error(`${file} is not a master key (32 bytes, base64)`);
  return bytesHex(bytes);
}

function kmsCall(ctx: CommandContext, region: string, operation: string, input: Record<string, unknown>): Record<string, unknown> {
  const r = ctx.sandbox.call({ service: 'kms', operation, input, identity: identity(ctx), region });
  if (!r.ok) throw new Error(`An error occurred (${r.error.code}) when calling the ${operation} operation: ${r.error.message}`);
  return r.output as Record<string, unknown>;
}

function fail(ctx: CommandContext, cmd: string, e: unknown): number {
  ctx.err(`sandbox: ${cmd}: ${e instanceof FsError || e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}

registerSandboxCommand({
  path: ['encrypt'],
  summary: 'Client-side encryption of a file (KMS data key or your own master key) before uploading it',
  usage:
    'sandbox encrypt --key-id KEY IN OUT               envelope encryption with a KMS data key\n' +
    'sandbox encrypt --master-key-file FILE IN OUT     with your own 256-bit master key (AWS never sees it)\n' +
    'sandbox encrypt --new-master-key FILE             make a random master key (base64)\n\n' +
    'OUT holds only ciphertext plus a header with the encrypted data key: upload it with\n' +
    '`aws s3 cp OUT s3://BUCKET/...` and S3 never sees your data. `sandbox decrypt` reverses it.\n' +
    'The cipher is simulated (deterministic, not real AES).\n',
  run(ctx, argsIn) {
    const args = [...argsIn];
    try {
      const newKey = option(args, '--new-master-key');
      if (newKey !== undefined) {
        const abs = resolvePath(newKey, ctx.cwd);
        ctx.sandbox.mutate((sb) => sb.vfs.writeText(abs, toBase64(hexBytes(sb.rng.hex(64))) + '\n'));
        ctx.out(`Wrote a new 256-bit master key to ${newKey}. Keep it safe: without it your files cannot be decrypted.\n`);
        return 0;
      }
      const keyId = option(args, '--key-id');
      const masterFile = option(args, '--master-key-file');
      const [input, output] = args;
      if ((!keyId && !masterFile) || !input || !output) {
        ctx.err('usage: sandbox encrypt (--key-id KEY | --master-key-file FILE) IN OUT\n');
        return 2;
      }
      const plain = ctx.sandbox.vfs.readBytes(resolvePath(input, ctx.cwd));
      const region = regionOf(ctx);
      let dataKey: Uint8Array;
      let header: Omit<Header, 'iv' | 'tag'>;
      const iv = ctx.sandbox.mutate((sb) => sb.rng.hex(24));
      if (keyId) {
        const out = kmsCall(ctx, region, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
        dataKey = out['Plaintext'] as Uint8Array;
        header = { alg: 'AES/GCM/NoPadding (simulated)', wrap: 'kms', keyId: String(out['KeyId']), encryptedDataKey: toBase64(out['CiphertextBlob'] as Uint8Array) };
      } else {
        const master = readMasterKey(ctx, masterFile!);
        dataKey = hexBytes(ctx.sandbox.mutate((sb) => sb.rng.hex(64)));
        const wrapIv = ctx.sandbox.mutate((sb) => sb.rng.hex(24));
        const wrapped = keystreamXor(master, wrapIv, dataKey);
        const wrapTag = tag(master, wrapIv, 'wrap', wrapped);
        header = { alg: 'AES/GCM/NoPadding (simulated)', wrap: 'master-key', encryptedDataKey: toBase64(new Uint8Array([...hexBytes(wrapIv), ...wrapTag, ...wrapped])) };
      }
      const dk = bytesHex(dataKey);
      const cipher = keystreamXor(dk, iv, plain);
      const full: Header = { ...header, iv, tag: bytesHex(tag(dk, iv, 'file', cipher)) };
      const head = utf8.encode(MAGIC + JSON.stringify(full) + '\n');
      const bytes = new Uint8Array(head.length + cipher.length);
      bytes.set(head);
      bytes.set(cipher, head.length);
      const abs = resolvePath(output, ctx.cwd);
      ctx.sandbox.mutate((sb) => sb.vfs.writeBytes(abs, bytes));
      ctx.out(
        keyId
          ? `Encrypted ${input} -> ${output} with a data key from ${full.keyId}. The plaintext data key was used and discarded; its encrypted copy is in the header.\n`
          : `Encrypted ${input} -> ${output} with a data key wrapped by your master key ${masterFile}.\n`,
      );
      return 0;
    } catch (e) {
      return fail(ctx, 'encrypt', e);
    }
  },
});

registerSandboxCommand({
  path: ['decrypt'],
  summary: 'Decrypt a file made by sandbox encrypt (asks KMS to decrypt the data key, or uses your master key)',
  usage: 'sandbox decrypt IN OUT [--master-key-file FILE]\n',
  run(ctx, argsIn) {
    const args = [...argsIn];
    try {
      const masterFile = option(args, '--master-key-file');
      const [input, output] = args;
      if (!input || !output) {
        ctx.err('usage: sandbox decrypt IN OUT [--master-key-file FILE]\n');
        return 2;
      }
      const bytes = ctx.sandbox.vfs.readBytes(resolvePath(input, ctx.cwd));
      const nl = bytes.indexOf(10);
      const first = nl > 0 ? utf8.decode(bytes.subarray(0, nl)) : '';
      if (!first.startsWith(MAGIC)) throw new Error(`${input} was not made by sandbox encrypt`);
      const h = JSON.parse(first.slice(MAGIC.length)) as Header;
      const cipher = bytes.subarray(nl + 1);
      let dataKey: Uint8Array;
      if (h.wrap === 'kms') {
        const region = /^arn:aws:kms:([a-z0-9-]+):/.exec(h.keyId ?? '')?.[1] ?? regionOf(ctx);
        const out = kmsCall(ctx, region, 'Decrypt', { CiphertextBlob: fromBase64(h.encryptedDataKey) });
        dataKey = out['Plaintext'] as Uint8Array;
      } else {
        if (!masterFile) throw new Error(`${input} was encrypted with a client-side master key: give --master-key-file`);
        const master = readMasterKey(ctx, masterFile);
        const w = fromBase64(h.encryptedDataKey);
        const wrapIv = bytesHex(w.subarray(0, 12));
        const wrapTag = w.subarray(12, 28);
        const wrapped = w.subarray(28);
        const expect = tag(master, wrapIv, 'wrap', wrapped);
        if (bytesHex(expect) !== bytesHex(wrapTag)) throw new Error('the master key does not open this file (wrong key)');
        dataKey = keystreamXor(master, wrapIv, wrapped);
      }
      const dk = bytesHex(dataKey);
      if (bytesHex(tag(dk, h.iv, 'file', cipher)) !== h.tag) throw new Error('the file was changed or the key is wrong (authentication failed)');
      const plain = keystreamXor(dk, h.iv, cipher);
      const abs = resolvePath(output, ctx.cwd);
      ctx.sandbox.mutate((sb) => sb.vfs.writeBytes(abs, plain));
      ctx.out(`Decrypted ${input} -> ${output}.\n`);
      return 0;
    } catch (e) {
      return fail(ctx, 'decrypt', e);
    }
  },
});

// ---------------------------------------------------------------- what the server stores

import type { BucketRow, ObjectRow } from '../../engine/services/s3/model';
import { keys as kmsKeys, keyArn as kmsKeyArn } from '../../engine/services/kms/model';
import { sealBlob } from '../../engine/services/kms/crypto';
import { md5Hex } from '../../engine/store/blobs';

function hexDump(bytes: Uint8Array, max = 64): string {
  const lines: string[] = [];
  for (let off = 0; off < Math.min(bytes.length, max); off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, bytes.length, max));
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const txt = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`  ${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${txt}|`);
  }
  if (bytes.length > max) lines.push(`  ... ${bytes.length - max} more bytes`);
  return lines.join('\n') + '\n';
}

registerSandboxCommand({
  path: ['s3', 'stored'],
  summary: 'Show what S3 keeps at rest for an object: ciphertext and key material, per encryption type (simulated)',
  usage:
    'sandbox s3 stored s3://BUCKET/KEY\n\n' +
    'Shows the object as its encryption leaves it on S3\'s disks: the encrypted bytes, and what S3 keeps to\n' +
    'decrypt them (SSE-S3: nothing you can see; SSE-KMS: a data key encrypted under your KMS key; SSE-C:\n' +
    'only the MD5 of your key). Nimbus computes this view from the object with its simulated cipher.\n',
  run(ctx, args) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(args[0] ?? '');
    if (!m) {
      ctx.err('usage: sandbox s3 stored s3://BUCKET/KEY\n');
      return 2;
    }
    const [, bucket, key] = m as unknown as [string, string, string];
    const b = ctx.sandbox.db.table<BucketRow>('s3.buckets').get(bucket);
    const v = ctx.sandbox.db.table<ObjectRow>('s3.objects').get(`${bucket}/${key}`)?.versions[0];
    if (!b || !v || v.marker) {
      ctx.err(`sandbox: s3 stored: no object s3://${bucket}/${key}\n`);
      return 1;
    }
    const body = v.blob ? ctx.sandbox.blobs.get(v.blob) : new Uint8Array(0);
    const enc = v.encryption;
    // a data key per object version, derived from the object and the key material (stable, never shown)
    const seed = (secret: string) => md5Hex(utf8.encode(`${secret}|${bucket}/${key}|${v.versionId}`)) + md5Hex(utf8.encode(`${v.versionId}|${secret}`));
    let out = `s3://${bucket}/${key} (${v.size} bytes, version ${v.versionId})\n`;
    if (!enc || enc.algorithm === 'AES256') {
      const dk = seed(`s3-owned:${bucket}`);
      out += 'Encryption: SSE-S3 (AES256). S3 owns and rotates the key; it decrypts for anyone the policies allow.\n';
      out += 'Stored bytes (encrypted with an S3-owned data key):\n' + hexDump(keystreamXor(dk, v.versionId.slice(0, 24), body));
    } else if (enc.algorithm === 'SSE-C') {
      const dk = seed(`customer:${enc.customerKeyMd5}`);
      out += 'Encryption: SSE-C (AES256). The key is yours; S3 threw it away after encrypting.\n';
      out += `Kept to recognise your key: its MD5 ${enc.customerKeyMd5}\n`;
      out += 'Stored bytes:\n' + hexDump(keystreamXor(dk, v.versionId.slice(0, 24), body));
    } else {
      const k = kmsKeys({ table: (n) => ctx.sandbox.db.table(n) }).get(enc.kmsKeyArn?.split('/').pop() ?? '');
      const dk = seed(k ? k.secret : String(enc.kmsKeyArn));
      out += `Encryption: SSE-KMS (${enc.algorithm}) under ${enc.kmsKeyArn}${enc.bucketKey ? ', through an S3 Bucket Key' : ''}.\n`;
      if (k) {
        const wrapped = sealBlob(k.keyId, k.secret, md5Hex(utf8.encode(v.versionId)).slice(0, 24), hexBytes(dk.slice(0, 64)));
        out += `Kept with the object: the data key encrypted under ${kmsKeyArn(k)} (only KMS can open it):\n  ${toBase64(wrapped)}\n`;
      } else out += 'The KMS key no longer exists: nobody can decrypt this object any more.\n';
      out += 'Stored bytes:\n' + hexDump(keystreamXor(dk, v.versionId.slice(0, 24), body));
    }
    ctx.out(out);
    return 0;
  },
});
