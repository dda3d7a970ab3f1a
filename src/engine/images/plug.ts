/** Plug the image catalogue into the task lifecycle's image facts (src/engine/services/ecs/image-info.ts). */
import { setImageResolver, type ImageFacts } from '../services/ecs/image-info';
import { resolveImage } from './index';

setImageResolver((ctx, image): ImageFacts => {
  const r = resolveImage(ctx, image);
  const registry = r.registry;
  if (!r.found) return { found: false, registry, private: r.private, sizeBytes: 0, pullError: r.message };
  const b = r.behaviour;
  return {
    found: true,
    registry,
    private: r.private,
    sizeBytes: r.sizeBytes,
    digest: r.digest,
    ...(b.kind === 'command' ? { exitAfterMs: b.durationMs, exitCode: b.exitCode } : {}),
  };
});
