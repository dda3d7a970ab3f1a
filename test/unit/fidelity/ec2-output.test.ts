import { describe, it, expect } from 'vitest';
import { Sandbox } from '../../../src/engine';
import { Session } from '../../../src/cli/session';

function run(se: Session, line: string) {
  const r = se.run(line);
  if (r.exitCode !== 0) throw new Error(`${line} -> ${r.exitCode}\n${r.stderr}`);
  return r.stdout;
}

describe('EC2 outputs as the AWS CLI prints them', () => {
  it('run-instances answers at launch: pending, no root volume or public address yet, interface attaching', () => {
    const se = new Session(new Sandbox());
    const ami = run(se, 'aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 --query Parameter.Value --output text').trim();
    const res = JSON.parse(run(se, `aws ec2 run-instances --image-id ${ami} --instance-type t3.micro`));
    expect(Object.keys(res)).toEqual(['ReservationId', 'OwnerId', 'Groups', 'Instances']);
    const i = res.Instances[0];
    expect(i.State).toEqual({ Code: 0, Name: 'pending' });
    expect(i.StateReason).toEqual({ Code: 'pending', Message: 'pending' });
    expect(i.BlockDeviceMappings).toEqual([]);
    expect(i.PublicDnsName).toBe('');
    expect(i.PublicIpAddress).toBeUndefined();
    expect(i.NetworkInterfaces[0].Association).toBeUndefined();
    expect(i.NetworkInterfaces[0].Attachment.Status).toBe('attaching');
    expect(i.MetadataOptions.State).toBe('pending');
    const d = JSON.parse(run(se, `aws ec2 describe-instances --instance-ids ${i.InstanceId}`)).Reservations[0].Instances[0];
    expect(d.BlockDeviceMappings).toHaveLength(1);
    expect(d.NetworkInterfaces[0].Attachment.Status).toBe('attached');
    expect(d.StateReason).toBeUndefined();
  });
});
