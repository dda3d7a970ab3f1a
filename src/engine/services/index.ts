/** Every simulated service. A new service adds itself here. */
import type { ServiceDef } from '../service';
import { sts } from './sts';
import { ecs } from './ecs';
import { s3 } from './s3';

export const ALL_SERVICES: ServiceDef[] = [sts, ecs, s3];
