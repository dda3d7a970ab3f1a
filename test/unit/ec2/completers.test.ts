import { describe, it, expect } from 'vitest';
import { world } from './world';

describe('EC2 and ECR completers offer the ids of the region only', () => {
  it('completes vpc, subnet, security group, instance and repository ids', () => {
    const w = world();
    const c = (line: string) => w.session.complete(line, line.length).candidates;
    const vpc = w.json('aws ec2 describe-vpcs').Vpcs[0].VpcId as string;
    expect(c('aws ec2 describe-vpcs --vpc-ids vpc-')).toEqual([vpc]);
    expect(c('aws ec2 describe-vpcs --region eu-west-1 --vpc-ids ')).not.toContain(vpc);
    const subnetIds = w.json('aws ec2 describe-subnets').Subnets.map((s: any) => s.SubnetId).sort();
    expect(c('aws ec2 describe-subnets --subnet-ids ')).toEqual(subnetIds);
    const sg = w.json('aws ec2 describe-security-groups').SecurityGroups.map((g: any) => g.GroupId);
    expect(c('aws ec2 describe-security-groups --group-ids sg-')).toEqual(sg);
    w.json('aws ecr create-repository --repository-name web');
    w.json('aws ecr create-repository --repository-name worker');
    w.json('aws ecr create-repository --repository-name api --region eu-west-1');
    expect(c('aws ecr describe-repositories --repository-names w')).toEqual(['web', 'worker']);
    const inst = w.json(`aws ec2 run-instances --image-id ${w.ecsAmi()} --instance-type t3.micro`).Instances[0].InstanceId;
    expect(c('aws ec2 describe-instances --instance-ids i-')).toEqual([inst]);
  });
});
