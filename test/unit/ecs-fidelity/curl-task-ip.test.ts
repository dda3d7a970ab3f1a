/** The end of the Fargate tutorial: open the task's public IP, through its security group. */
import { describe, expect, it } from 'vitest';
import { world } from '../ecs/helpers';

function fargateWeb(w: ReturnType<typeof world>, image: string) {
  w.json('aws ecs create-cluster --cluster-name fargate-cluster');
  w.writeFile(
    'td.json',
    JSON.stringify({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 80 }] }],
    }),
  );
  w.json('aws ecs register-task-definition --cli-input-json file://td.json');
  const vpc = w.run("aws ec2 describe-vpcs --query 'Vpcs[0].VpcId' --output text").stdout.trim();
  const subnet = w.run("aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text").stdout.trim();
  const sg = w.json(`aws ec2 create-security-group --group-name web-sg --description web --vpc-id ${vpc}`).GroupId as string;
  const task = w.json(
    `aws ecs run-task --cluster fargate-cluster --task-definition web --launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[${subnet}],securityGroups=[${sg}],assignPublicIp=ENABLED}"`,
  ).tasks[0].taskArn as string;
  const eni = w
    .run(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${task} --query "tasks[0].attachments[0].details[?name=='networkInterfaceId'].value" --output text`)
    .stdout.trim();
  const ip = w.run(`aws ec2 describe-network-interfaces --network-interface-ids ${eni} --query 'NetworkInterfaces[0].Association.PublicIp' --output text`).stdout.trim();
  return { sg, ip, task };
}

describe('curl to a task public IP', () => {
  it('times out until the security group allows port 80, then nginx answers', () => {
    const w = world();
    const { sg, ip } = fargateWeb(w, 'nginx:latest');
    w.advance(120);
    const blocked = w.run(`curl -s -S http://${ip}/`);
    expect(blocked.exitCode).toBe(28);
    expect(blocked.stderr).toContain(`Failed to connect to ${ip} port 80`);
    w.json(`aws ec2 authorize-security-group-ingress --group-id ${sg} --protocol tcp --port 80 --cidr 0.0.0.0/0`);
    const ok = w.run(`curl -i http://${ip}/`);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('HTTP/1.1 200 OK');
    expect(ok.stdout).toContain('Welcome to nginx!');
    const otherPort = w.run(`curl -s -S http://${ip}:8080/`);
    expect(otherPort.exitCode).toBe(28);
  });

  it('refuses the connection on an open port where nothing listens, and stops answering once the task stops', () => {
    const w = world();
    const { sg, ip, task } = fargateWeb(w, 'busybox:latest');
    w.json(`aws ec2 authorize-security-group-ingress --group-id ${sg} --protocol tcp --port 80 --cidr 0.0.0.0/0`);
    w.advance(120);
    // busybox exits at once: the task stops and its address goes away
    expect(w.run(`aws ecs describe-tasks --cluster fargate-cluster --tasks ${task} --query 'tasks[0].lastStatus' --output text`).stdout.trim()).toBe('STOPPED');
    const r = w.run(`curl -s -S http://${ip}/`);
    expect(r.exitCode).not.toBe(0);
  });
});

describe('curl to an EC2 instance public IP (bridge mode)', () => {
  it('reaches the task through its host port once the instance security group allows it', () => {
    const w = world();
    w.json('aws ecs create-cluster --cluster-name default');
    expect(w.run('sandbox ec2 add-capacity --cluster default --count 1 --instance-type t3.medium').exitCode).toBe(0);
    w.advance(60);
    w.writeFile(
      'web.json',
      JSON.stringify([{ name: 'web', image: 'nginx', memory: 256, essential: true, portMappings: [{ containerPort: 80, hostPort: 8080 }] }]),
    );
    w.json('aws ecs register-task-definition --family web --container-definitions file://web.json');
    w.json('aws ecs run-task --task-definition web');
    w.advance(120);
    const ip = w.run("aws ec2 describe-instances --query 'Reservations[0].Instances[0].PublicIpAddress' --output text").stdout.trim();
    const sg = w.run("aws ec2 describe-instances --query 'Reservations[0].Instances[0].SecurityGroups[0].GroupId' --output text").stdout.trim();
    expect(w.run(`curl -s -S http://${ip}:8080/`).exitCode).toBe(28);
    w.json(`aws ec2 authorize-security-group-ingress --group-id ${sg} --protocol tcp --port 8080 --cidr 0.0.0.0/0`);
    const ok = w.run(`curl -s http://${ip}:8080/`);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('<title>Welcome to nginx!</title>');
    w.json(`aws ec2 authorize-security-group-ingress --group-id ${sg} --protocol tcp --port 9090 --cidr 0.0.0.0/0`);
    const refused = w.run(`curl -s -S http://${ip}:9090/`);
    expect(refused.exitCode).toBe(7);
  });
});
