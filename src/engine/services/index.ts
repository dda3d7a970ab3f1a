/** Every simulated service. A new service adds itself here. */
import type { ServiceDef } from '../service';
import { sts } from './sts';
import { ecs } from './ecs';
import { s3 } from './s3';
import { ec2 } from './ec2';
import { ssm } from './ssm';
import { ecr } from './ecr';
import { iam } from './iam';
import { s3control } from './s3control';
import { kms } from './kms';

export const ALL_SERVICES: ServiceDef[] = [sts, ecs, s3, ec2, ssm, ecr, iam, kms, s3control];
