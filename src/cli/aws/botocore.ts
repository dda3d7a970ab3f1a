/**
 * Client-side behaviours of botocore that the CLI shows: checks made before a request
 * is sent, and request/answer rewrites (S3 listing key encoding).
 */
import { CliError } from './params';
import { botocoreBucketParamOk, BOTOCORE_VALID_BUCKET, BOTOCORE_VALID_S3_ARN } from '../../engine/services/s3/naming';

/**
 * botocore's client-side check of S3's Bucket parameter (before the request is built):
 * a ParamValidationError, exit 252, nothing sent.
 */
export function checkBucketParam(input: Record<string, unknown>): void {
  const b = input['Bucket'];
  if (typeof b !== 'string' || botocoreBucketParamOk(b)) return;
  throw new CliError(
    `Parameter validation failed:\nInvalid bucket name "${b}": Bucket name must match the regex "${BOTOCORE_VALID_BUCKET}" or be an ARN matching the regex "${BOTOCORE_VALID_S3_ARN}"`,
    252,
  );
}

/**
 * botocore asks S3 listings for url-encoded keys when the caller did not choose an encoding
 * (keys with characters XML cannot carry), and decodes them in the answer: the top-level and
 * nested members to decode, per operation. EncodingType stays in the output.
 */
export const LIST_ENCODED: Record<string, [string[], [string, string][]]> = {
  ListObjectsV2: [['Delimiter', 'Prefix', 'StartAfter'], [['Contents', 'Key'], ['CommonPrefixes', 'Prefix']]],
  ListObjects: [['Delimiter', 'Marker', 'NextMarker', 'Prefix'], [['Contents', 'Key'], ['CommonPrefixes', 'Prefix']]],
  ListObjectVersions: [['KeyMarker', 'NextKeyMarker', 'Prefix', 'Delimiter'], [['Versions', 'Key'], ['DeleteMarkers', 'Key'], ['CommonPrefixes', 'Prefix']]],
};

/** Python's unquote_plus. */
function unquotePlus(s: string): string {
  const t = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(t);
  } catch {
    return t.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

export function decodeListing(operation: string, output: unknown): unknown {
  const spec = LIST_ENCODED[operation];
  if (!spec || !output || typeof output !== 'object') return output;
  const o = output as Record<string, unknown>;
  if (o['EncodingType'] !== 'url') return output;
  const [top, nested] = spec;
  const res: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const n = nested.find(([list]) => list === k);
    if (typeof v === 'string' && top.includes(k)) res[k] = unquotePlus(v);
    else if (n && Array.isArray(v)) res[k] = v.map((e: Record<string, unknown>) => (typeof e[n[1]] === 'string' ? { ...e, [n[1]]: unquotePlus(e[n[1]] as string) } : e));
    else res[k] = v;
  }
  return res;
}
