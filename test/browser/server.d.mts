import type { Browser } from 'playwright-core';
export const MIME: Record<string, string>;
export interface Served {
  port: number;
  origin: string;
  requests: string[];
  log: { path: string; t: number }[];
  close(): Promise<void>;
}
export function startServer(opts?: {
  root?: string | null;
  pages?: Record<string, { type?: string; body: string | (() => string) }>;
  port?: number;
  gzip?: boolean;
  host?: string;
}): Promise<Served>;
export const CHROMIUM_ARGS: string[];
export function launchChromium(): Promise<Browser>;
