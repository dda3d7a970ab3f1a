/**
 * `--profile NAME`: resolvers registered by other parts of Nimbus (IAM users,
 * assumed roles, a class's named profiles) turn a profile name into an identity.
 */
import type { Identity, Sandbox } from '../../engine';
import { ADMIN_IDENTITY } from '../../engine';

export type ProfileResolver = (sandbox: Sandbox, name: string) => Identity | undefined;

const RESOLVERS: ProfileResolver[] = [];

export function registerProfileResolver(fn: ProfileResolver): void {
  RESOLVERS.push(fn);
}

/** The identity for a profile; `default` (or none) is the sandbox's admin user. Undefined = unknown profile. */
export function resolveProfile(sandbox: Sandbox, name: string | undefined): Identity | undefined {
  for (const r of RESOLVERS) {
    const id = r(sandbox, name ?? 'default');
    if (id) return id;
  }
  if (name === undefined || name === 'default') return ADMIN_IDENTITY;
  return undefined;
}
