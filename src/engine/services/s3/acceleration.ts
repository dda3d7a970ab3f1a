/**
 * Transfer Acceleration: endpoint names and a small deterministic model of
 * transfer times, direct over the internet versus through the nearest edge
 * location and then the AWS backbone. Pure (no state); figures are illustrative.
 *
 * Model (per request, the CLI's 10 parallel connections):
 *  - distance: great-circle km between places; round trip = 2 x distance x 1.5 (routing) / 200,000 km/s + 4 ms.
 *  - loss on the public internet grows with distance; the AWS backbone loses little.
 *  - one TCP connection moves MSS x 1.22 / (RTT x sqrt(loss)) bytes/s (the Mathis formula), capped by the 200 Mbit/s uplink.
 *  - accelerated = client -> edge (short internet leg) then edge -> region (backbone); the slower leg limits, the RTTs add up.
 *  - time = 3 round trips to set up + size / throughput.
 */

export interface Place {
  name: string;
  lat: number;
  lon: number;
}

/** Where each simulated region's data centres are (approximately). */
export const REGION_PLACES: Record<string, Place> = {
  'us-east-1': { name: 'N. Virginia', lat: 38.9, lon: -77.4 },
  'us-east-2': { name: 'Ohio', lat: 40.0, lon: -83.0 },
  'us-west-1': { name: 'N. California', lat: 37.4, lon: -122.0 },
  'us-west-2': { name: 'Oregon', lat: 45.8, lon: -119.7 },
  'eu-west-1': { name: 'Ireland', lat: 53.3, lon: -6.3 },
  'eu-west-2': { name: 'London', lat: 51.5, lon: -0.1 },
  'eu-central-1': { name: 'Frankfurt', lat: 50.1, lon: 8.7 },
  'ap-southeast-1': { name: 'Singapore', lat: 1.3, lon: 103.8 },
  'ap-southeast-2': { name: 'Sydney', lat: -33.9, lon: 151.2 },
  'ap-northeast-1': { name: 'Tokyo', lat: 35.7, lon: 139.7 },
  'sa-east-1': { name: 'São Paulo', lat: -23.5, lon: -46.6 },
};

/** A few CloudFront edge locations (there are hundreds). */
export const EDGE_LOCATIONS: Place[] = [
  { name: 'Ashburn', lat: 39.0, lon: -77.5 },
  { name: 'Chicago', lat: 41.9, lon: -87.6 },
  { name: 'Dallas', lat: 32.8, lon: -96.8 },
  { name: 'Seattle', lat: 47.6, lon: -122.3 },
  { name: 'San Francisco', lat: 37.8, lon: -122.4 },
  { name: 'São Paulo', lat: -23.6, lon: -46.6 },
  { name: 'Dublin', lat: 53.3, lon: -6.3 },
  { name: 'London', lat: 51.5, lon: -0.1 },
  { name: 'Paris', lat: 48.9, lon: 2.4 },
  { name: 'Frankfurt', lat: 50.1, lon: 8.7 },
  { name: 'Stockholm', lat: 59.3, lon: 18.1 },
  { name: 'Mumbai', lat: 19.1, lon: 72.9 },
  { name: 'Singapore', lat: 1.3, lon: 103.8 },
  { name: 'Tokyo', lat: 35.7, lon: 139.7 },
  { name: 'Sydney', lat: -33.9, lon: 151.2 },
];

export function distanceKm(a: Place, b: Place): number {
  const r = Math.PI / 180;
  const dLat = (b.lat - a.lat) * r;
  const dLon = (b.lon - a.lon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function nearestEdge(p: Place): Place {
  let best = EDGE_LOCATIONS[0]!;
  for (const e of EDGE_LOCATIONS) if (distanceKm(p, e) < distanceKm(p, best)) best = e;
  return best;
}

const UPLINK = 25_000_000; // bytes/s (200 Mbit/s)
const MSS = 1460;
const CONNECTIONS = 10;
const rtt = (km: number) => (2 * km * 1.5) / 200_000 + 0.004;
const internetLoss = (km: number) => 0.0001 + 0.00002 * (km / 1000);
const backboneLoss = 0.00001;
const throughput = (rttS: number, loss: number) => Math.min(UPLINK, (CONNECTIONS * MSS * 1.22) / (rttS * Math.sqrt(loss)));

export interface TransferEstimate {
  bytes: number;
  from: string;
  to: string;
  distanceKm: number;
  direct: { seconds: number; rttMs: number; bytesPerSecond: number };
  accelerated: { seconds: number; rttMs: number; bytesPerSecond: number; edge: string };
  /** (direct - accelerated) / direct, in percent (negative: acceleration is slower). */
  speedupPercent: number;
}

/** Estimate a transfer of `bytes` between the learner's place and a bucket's region. */
export function estimateTransfer(bytes: number, fromRegion: string, bucketRegion: string): TransferEstimate | undefined {
  const from = REGION_PLACES[fromRegion];
  const to = REGION_PLACES[bucketRegion];
  if (!from || !to) return undefined;
  const d = distanceKm(from, to);
  const directRtt = rtt(d);
  const directBw = throughput(directRtt, internetLoss(d));
  const direct = 3 * directRtt + bytes / directBw;
  const edge = nearestEdge(from);
  const e1 = distanceKm(from, edge);
  const e2 = distanceKm(edge, to);
  const rtt1 = rtt(e1);
  const rtt2 = rtt(e2) * 0.9; // the backbone takes shorter paths
  const accBw = Math.min(throughput(rtt1, internetLoss(e1)), throughput(rtt2, backboneLoss));
  const accRtt = rtt1 + rtt2 + 0.002; // the edge adds a hop
  const accelerated = 3 * accRtt + bytes / accBw;
  return {
    bytes,
    from: fromRegion,
    to: bucketRegion,
    distanceKm: Math.round(d),
    direct: { seconds: direct, rttMs: Math.round(directRtt * 1000), bytesPerSecond: directBw },
    accelerated: { seconds: accelerated, rttMs: Math.round(accRtt * 1000), bytesPerSecond: accBw, edge: edge.name },
    speedupPercent: Math.round(((direct - accelerated) / direct) * 100),
  };
}

export const ACCELERATE_HOST = 's3-accelerate.amazonaws.com';
export const accelerateEndpoint = (bucket: string) => `${bucket}.${ACCELERATE_HOST}`;

/** Is this --endpoint-url the accelerate endpoint (s3-accelerate or s3-accelerate.dualstack)? */
export function isAccelerateUrl(url: string | undefined): boolean {
  if (!url) return false;
  return /^https?:\/\/([a-z0-9.-]+\.)?s3-accelerate(\.dualstack)?\.amazonaws\.com\/?$/i.test(url.trim());
}
