/** DescribeTasks shows each running container's imageDigest: the digest its tag resolved to (the one ECR lists for a pushed image). */
import { describe, expect, it } from 'vitest';
import { world } from '../ecs/helpers';

describe('container imageDigest', () => {
  it('is the ECR digest of the pushed image once the task has pulled it', () => {
    const w = world();
    w.writeFile('Dockerfile', 'FROM public.ecr.aws/amazonlinux/amazonlinux:latest\nRUN echo hi > /index.html\nCMD ["sleep", "3600"]\n');
    expect(w.run('docker build -t hello-world .').exitCode).toBe(0);
    w.json('aws ecr create-repository --repository-name hello-repository');
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/hello-repository';
    expect(w.run(`docker tag hello-world ${uri}`).exitCode).toBe(0);
    expect(w.run(`aws ecr get-login-password | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com`).exitCode).toBe(0);
    expect(w.run(`docker push ${uri}`).exitCode).toBe(0);
    const pushed = w.run('aws ecr describe-images --repository-name hello-repository --query "imageDetails[0].imageDigest" --output text').stdout.trim();
    expect(pushed).toMatch(/^sha256:[0-9a-f]{64}$/);
    w.json('aws ecs create-cluster');
    w.writeFile('td.json', JSON.stringify({ family: 'hello', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole', containerDefinitions: [{ name: 'hello', image: uri, essential: true }, { name: 'side', image: 'nginx:latest', essential: false }] }));
    w.json('aws ecs register-task-definition --cli-input-json file://td.json');
    const subnet = w.run("aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text").stdout.trim();
    const arn = w.json(`aws ecs run-task --task-definition hello --launch-type FARGATE --network-configuration "awsvpcConfiguration={subnets=[${subnet}]}"`).tasks[0].taskArn;
    const before = w.json(`aws ecs describe-tasks --tasks ${arn}`).tasks[0];
    expect(before.containers[0].imageDigest).toBeUndefined();
    w.advance(120);
    const t = w.json(`aws ecs describe-tasks --tasks ${arn}`).tasks[0];
    expect(t.lastStatus).toBe('RUNNING');
    expect(t.containers[0].imageDigest).toBe(pushed);
    expect(t.containers[1].imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Member order as the API prints it: image, imageDigest, runtimeId.
    expect(Object.keys(t.containers[0]).slice(3, 6)).toEqual(['image', 'imageDigest', 'runtimeId']);
  });
});
