/** The policy evaluator's public API (see docs/access.md). */
export * from './document';
export * from './match';
export * from './evaluate';
