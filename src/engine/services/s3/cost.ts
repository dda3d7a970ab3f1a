/**
 * What a month of storage would cost, by bucket and storage class, with
 * S3's us-east-1 list prices per GB-month (first 50 TB tier). The ratios are
 * what matters: REDUCED_REDUNDANCY now costs more than STANDARD.
 */
import type { Ctx } from '../../context';
import { buckets, objects, type StorageClass } from './model';

export const PRICE_PER_GB_MONTH: Record<StorageClass, number> = {
  STANDARD: 0.023,
  REDUCED_REDUNDANCY: 0.024,
  INTELLIGENT_TIERING: 0.023,
  STANDARD_IA: 0.0125,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.004,
  GLACIER: 0.0036,
  DEEP_ARCHIVE: 0.00099,
};

/** Classes that bill small objects as 128 KB. */
const MIN_BILLABLE: Partial<Record<StorageClass, number>> = { STANDARD_IA: 131072, ONEZONE_IA: 131072, GLACIER_IR: 131072 };
/** Archive classes add 32 KB of index at their own price and 8 KB of metadata at the STANDARD price per object. */
const ARCHIVE_OVERHEAD = new Set<StorageClass>(['GLACIER', 'DEEP_ARCHIVE']);

const GB = 1024 ** 3;

export interface CostLine {
  bucket: string;
  region: string;
  storageClass: StorageClass;
  objects: number;
  bytes: number;
  billedBytes: number;
  pricePerGbMonth: number;
  monthly: number;
}

export function storageCost(ctx: Pick<Ctx, 'table'>, bucketName?: string): CostLine[] {
  const acc = new Map<string, CostLine>();
  const regionOf = new Map([...buckets(ctx).values()].map((b) => [b.name, b.region]));
  for (const row of objects(ctx).values()) {
    if (bucketName && row.bucket !== bucketName) continue;
    for (const v of row.versions) {
      if (v.marker) continue;
      const id = `${row.bucket}\u0000${v.storageClass}`;
      let line = acc.get(id);
      if (!line) {
        line = { bucket: row.bucket, region: regionOf.get(row.bucket) ?? '', storageClass: v.storageClass, objects: 0, bytes: 0, billedBytes: 0, pricePerGbMonth: PRICE_PER_GB_MONTH[v.storageClass], monthly: 0 };
        acc.set(id, line);
      }
      const billed = Math.max(v.size, MIN_BILLABLE[v.storageClass] ?? 0);
      line.objects++;
      line.bytes += v.size;
      line.billedBytes += billed;
      line.monthly += (billed / GB) * line.pricePerGbMonth;
      if (ARCHIVE_OVERHEAD.has(v.storageClass)) {
        line.billedBytes += 40960;
        line.monthly += (32768 / GB) * line.pricePerGbMonth + (8192 / GB) * PRICE_PER_GB_MONTH.STANDARD;
      }
    }
  }
  return [...acc.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : PRICE_PER_GB_MONTH[b.storageClass] - PRICE_PER_GB_MONTH[a.storageClass]));
}
