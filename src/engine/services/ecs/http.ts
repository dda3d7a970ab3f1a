/**
 * What answers an HTTP request sent to a task's IP address: the end of the ECS
 * tutorials ("open the task's public IP in a browser"). A RUNNING task whose
 * container runs a web server (by its image's behaviour) answers on its port,
 * if the security groups let the request in; otherwise the connection fails as
 * curl reports it. Pure: reads the ECS and EC2 tables, changes nothing.
 */
import type { Sandbox } from '../../sandbox';
import { ADMIN_IDENTITY } from '../../identity';
import { containerBehaviour } from '../../images';
import { cidrContains, type InstanceRow, type SecurityGroupRow, T_INSTANCES, T_SGS } from '../ec2/model';
import type { TaskRow } from './model';
import type { FetchResult, HttpResponse } from '../s3/website';


/** The internet, as seen by the task: requests from the learner's machine come from this address. */
const LEARNER_IP = '203.0.113.10';

const PAGES: Record<string, { server: string; title: string; body: string }> = {
  nginx: {
    server: 'nginx/1.27.3',
    title: 'Welcome to nginx!',
    body: '<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n',
  },
  httpd: { server: 'Apache/2.4.62 (Unix)', title: 'It works!', body: '<h1>It works!</h1>\n' },
  'amazon/amazon-ecs-sample': {
    server: 'Apache/2.4.6 (Amazon) PHP/5.4.16',
    title: 'Amazon ECS Sample App',
    body: '<h1>Amazon ECS Sample App</h1>\n<h2>Congratulations!</h2>\n<p>Your application is now running on a container in Amazon ECS.</p>\n',
  },
};

function repoOf(image: string): string {
  const noDigest = image.split('@')[0]!;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const name = colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
  return name.replace(/^(docker\.io\/)?(library\/)?/, '').replace(/^public\.ecr\.aws\/(docker\/library\/)?/, '');
}

function page(repo: string, path: string, head: boolean): HttpResponse {
  const p = PAGES[repo] ?? {
    server: 'simulated',
    title: `${repo} in Nimbus`,
    body: `<h1>${repo}</h1>\n<p>This simulated container is listening and answered ${path}.</p>\n`,
  };
  const html = `<!DOCTYPE html>\n<html>\n<head>\n<title>${p.title}</title>\n</head>\n<body>\n${p.body}</body>\n</html>\n`;
  const body = new TextEncoder().encode(html);
  return {
    status: 200,
    statusText: 'OK',
    headers: [
      ['Server', p.server],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(body.byteLength)],
    ],
    body: head ? new Uint8Array(0) : body,
  };
}

/** May a TCP request to `port` from the internet pass these security groups? */
function ingressAllowed(groups: (SecurityGroupRow | undefined)[], port: number): boolean {
  for (const g of groups) {
    for (const r of g?.rules ?? []) {
      if (r.isEgress) continue;
      const proto = r.IpProtocol === '-1' || r.IpProtocol === 'tcp' || r.IpProtocol === '6';
      const ports = r.IpProtocol === '-1' || ((r.FromPort ?? 0) <= port && port <= (r.ToPort ?? 65535));
      if (proto && ports && r.CidrIpv4 && cidrContains(r.CidrIpv4, LEARNER_IP)) return true;
    }
  }
  return false;
}

function timeout(ip: string, port: number): FetchResult {
  return { code: 28, error: `Failed to connect to ${ip} port ${port} after 133000 ms: Couldn't connect to server` };
}

function refused(ip: string, port: number): FetchResult {
  return { code: 7, error: `Failed to connect to ${ip} port ${port} after 0 ms: Couldn't connect to server` };
}

/**
 * Send `method path` to `ip:port`. An address that no task or instance of the
 * sandbox holds does not answer either: the connection times out.
 */
export function requestTaskIp(sandbox: Sandbox, method: string, ip: string, port: number, path: string): FetchResult {
  const tasks = sandbox.db.table<TaskRow>('ecs.tasks');
  const sgs = sandbox.db.table<SecurityGroupRow>(T_SGS);
  const head = method === 'HEAD';
  // awsvpc tasks (Fargate): the ENI's public address, ports are container ports.
  for (const t of tasks.values()) {
    if (t.eni?.publicIPv4Address !== ip) continue;
    if (t.lastStatus !== 'RUNNING') return timeout(ip, port);
    if (!ingressAllowed(t.eni.securityGroups.map((id) => sgs.get(id)), port)) return timeout(ip, port);
    const c = serverOn(sandbox, t, port, (b) => b.containerPort === port);
    return c ? page(repoOf(c), path, head) : refused(ip, port);
  }
  // bridge/host tasks on an EC2 instance: the instance's public address, ports are host ports.
  const instance = [...sandbox.db.table<InstanceRow>(T_INSTANCES).values()].find((i) => i.PublicIpAddress === ip);
  if (!instance || instance.state !== 'running') return timeout(ip, port);
  if (!ingressAllowed(instance.SecurityGroups.map((g) => sgs.get(g.GroupId)), port)) return timeout(ip, port);
  for (const t of tasks.values()) {
    if (t.ec2InstanceId !== instance.InstanceId || t.lastStatus !== 'RUNNING' || t.eni) continue;
    const c = serverOn(sandbox, t, port, (b) => b.hostPort === port);
    if (c) return page(repoOf(c), path, head);
  }
  return refused(ip, port);
}

/** The image of a RUNNING container of `t` that serves HTTP on a binding matching `match`. */
function serverOn(
  sandbox: Sandbox,
  t: TaskRow,
  port: number,
  match: (b: { containerPort: number; hostPort: number }) => boolean,
): string | undefined {
  const ctx = sandbox.context(t.region, ADMIN_IDENTITY);
  const td = sandbox.db.table<{ doc: Record<string, unknown> }>('ecs.taskDefinitions').get(t.taskDefinitionArn);
  const defs = (td?.doc['containerDefinitions'] as Record<string, unknown>[] | undefined) ?? [];
  for (const c of t.containers) {
    if (c.lastStatus !== 'RUNNING') continue;
    const def = defs.find((d) => d['name'] === c.name) ?? {};
    const bindings = t.eni
      ? ((def['portMappings'] as { containerPort?: number }[] | undefined) ?? []).map((m) => ({ containerPort: m.containerPort ?? 0, hostPort: m.containerPort ?? 0 }))
      : c.networkBindings;
    if (!bindings.some(match)) continue;
    const b = containerBehaviour(ctx, c.image, {
      command: def['command'] as string[] | undefined,
      entryPoint: def['entryPoint'] as string[] | undefined,
      environment: def['environment'] as { name?: string; value?: string }[] | undefined,
    });
    if (b?.behaviour.kind !== 'server') continue;
    const containerPort = t.eni ? port : (bindings.find(match)?.containerPort ?? port);
    if ((b.behaviour.port ?? 80) === containerPort) return c.image;
  }
  return undefined;
}
