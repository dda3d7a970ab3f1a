/**
 * Simulated public images (Docker Hub official images and a few others, also
 * reachable through the ECR Public mirror public.ecr.aws/docker/library/NAME).
 * Each has tags, a compressed size (what a pull downloads and ECR reports), and
 * a behaviour: a server keeps running and listens on its port; a command runs
 * and exits with a code after some time.
 */

export type Behaviour =
  | { kind: 'server'; port?: number; protocol?: 'tcp' | 'udp' }
  | { kind: 'command'; exitCode: number; durationMs: number; output?: string };

/** An environment variable the image's entrypoint insists on (postgres, mysql). */
export interface RequiredEnv {
  /** Any one of these names satisfies it. */
  anyOf: string[];
  exitCode: number;
  durationMs: number;
  message: string;
}

export interface CatalogueImage {
  /** Docker Hub repository: 'nginx', 'amazon/amazon-ecs-sample'. */
  repo: string;
  summary: string;
  tags: string[];
  /** Compressed size in bytes of the default variant. */
  sizeBytes: number;
  /** Tags containing a key use that size instead (e.g. alpine variants). */
  variantSizes?: Record<string, number>;
  behaviour: Behaviour;
  /** Default ENTRYPOINT and CMD (exec form). */
  entrypoint?: string[];
  cmd: string[];
  exposedPorts: number[];
  requiredEnv?: RequiredEnv;
  /** Executables this image runs as its main process (so a command naming them keeps the default behaviour). */
  binaries?: string[];
}

const MB = 1024 * 1024;
const KB = 1024;

export const CATALOGUE: readonly CatalogueImage[] = [
  {
    repo: 'nginx',
    summary: 'The nginx web server.',
    tags: ['latest', 'stable', 'mainline', '1.27', '1.27.3', '1.26', 'alpine', '1.27-alpine', 'stable-alpine'],
    sizeBytes: 72 * MB,
    variantSizes: { alpine: 21 * MB },
    behaviour: { kind: 'server', port: 80 },
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    exposedPorts: [80],
    binaries: ['nginx', '/docker-entrypoint.sh'],
  },
  {
    repo: 'httpd',
    summary: 'The Apache HTTP server.',
    tags: ['latest', '2.4', '2.4.62', 'alpine', '2.4-alpine'],
    sizeBytes: 58 * MB,
    variantSizes: { alpine: 23 * MB },
    behaviour: { kind: 'server', port: 80 },
    cmd: ['httpd-foreground'],
    exposedPorts: [80],
    binaries: ['httpd-foreground', 'httpd', 'apachectl'],
  },
  {
    repo: 'redis',
    summary: 'The Redis in-memory data store.',
    tags: ['latest', '7', '7.4', '7.4.2', 'alpine', '7-alpine', '7.4-alpine'],
    sizeBytes: 45 * MB,
    variantSizes: { alpine: 17 * MB },
    behaviour: { kind: 'server', port: 6379 },
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['redis-server'],
    exposedPorts: [6379],
    binaries: ['redis-server', 'docker-entrypoint.sh'],
  },
  {
    repo: 'postgres',
    summary: 'The PostgreSQL database (needs POSTGRES_PASSWORD).',
    tags: ['latest', '17', '16', '15', 'alpine', '17-alpine', '16-alpine'],
    sizeBytes: 158 * MB,
    variantSizes: { alpine: 105 * MB },
    behaviour: { kind: 'server', port: 5432 },
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    exposedPorts: [5432],
    requiredEnv: {
      anyOf: ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'],
      exitCode: 1,
      durationMs: 1500,
      message: 'Error: Database is uninitialized and superuser password is not specified. You must specify POSTGRES_PASSWORD to a non-empty value for the superuser.',
    },
    binaries: ['postgres', 'docker-entrypoint.sh'],
  },
  {
    repo: 'mysql',
    summary: 'The MySQL database (needs MYSQL_ROOT_PASSWORD).',
    tags: ['latest', '9', '9.1', '8', '8.4', '8.0', 'lts'],
    sizeBytes: 170 * MB,
    behaviour: { kind: 'server', port: 3306 },
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mysqld'],
    exposedPorts: [3306, 33060],
    requiredEnv: {
      anyOf: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
      exitCode: 1,
      durationMs: 2000,
      message: '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified. You need to specify one of the following as an environment variable: MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD',
    },
    binaries: ['mysqld', 'docker-entrypoint.sh'],
  },
  {
    repo: 'busybox',
    summary: 'Tiny set of Unix tools; its default command (sh) exits at once without a terminal.',
    tags: ['latest', '1.37', '1.36', 'stable', 'musl', 'glibc'],
    sizeBytes: 2.2 * MB,
    behaviour: { kind: 'command', exitCode: 0, durationMs: 50 },
    cmd: ['sh'],
    exposedPorts: [],
  },
  {
    repo: 'alpine',
    summary: 'Minimal Alpine Linux; its default command (/bin/sh) exits at once without a terminal.',
    tags: ['latest', '3', '3.21', '3.20', '3.19', 'edge'],
    sizeBytes: 3.6 * MB,
    behaviour: { kind: 'command', exitCode: 0, durationMs: 50 },
    cmd: ['/bin/sh'],
    exposedPorts: [],
  },
  {
    repo: 'ubuntu',
    summary: 'Ubuntu Linux; its default command (bash) exits at once without a terminal.',
    tags: ['latest', '24.04', 'noble', '22.04', 'jammy'],
    sizeBytes: 29 * MB,
    behaviour: { kind: 'command', exitCode: 0, durationMs: 80 },
    cmd: ['/bin/bash'],
    exposedPorts: [],
  },
  {
    repo: 'amazonlinux',
    summary: 'Amazon Linux; its default command (bash) exits at once without a terminal.',
    tags: ['latest', '2023', '2'],
    sizeBytes: 52 * MB,
    behaviour: { kind: 'command', exitCode: 0, durationMs: 80 },
    cmd: ['/bin/bash'],
    exposedPorts: [],
  },
  {
    repo: 'node',
    summary: 'Node.js; its default command (the REPL) exits at once without a terminal.',
    tags: ['latest', '22', '20', 'lts', '22-alpine', '20-alpine', 'lts-alpine', '22-slim'],
    sizeBytes: 390 * MB,
    variantSizes: { alpine: 55 * MB, slim: 78 * MB },
    behaviour: { kind: 'command', exitCode: 0, durationMs: 300 },
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['node'],
    exposedPorts: [],
  },
  {
    repo: 'python',
    summary: 'Python; its default command (the interpreter) exits at once without a terminal.',
    tags: ['latest', '3', '3.13', '3.12', '3.13-slim', '3.12-slim', '3.13-alpine', '3.12-alpine'],
    sizeBytes: 380 * MB,
    variantSizes: { alpine: 18 * MB, slim: 45 * MB },
    behaviour: { kind: 'command', exitCode: 0, durationMs: 300 },
    cmd: ['python3'],
    exposedPorts: [],
  },
  {
    repo: 'hello-world',
    summary: 'Prints a greeting and exits 0.',
    tags: ['latest', 'linux'],
    sizeBytes: 13 * KB,
    behaviour: { kind: 'command', exitCode: 0, durationMs: 100, output: 'Hello from Docker!' },
    cmd: ['/hello'],
    exposedPorts: [],
    binaries: ['/hello'],
  },
  {
    repo: 'amazon/amazon-ecs-sample',
    summary: 'The ECS sample web page (Apache and PHP on port 80).',
    tags: ['latest'],
    sizeBytes: 120 * MB,
    behaviour: { kind: 'server', port: 80 },
    cmd: ['/usr/sbin/apache2', '-D', 'FOREGROUND'],
    exposedPorts: [80],
    binaries: ['/usr/sbin/apache2', 'apache2'],
  },
  {
    repo: 'traefik/whoami',
    summary: 'A tiny web server that answers with details of the request.',
    tags: ['latest', 'v1.10'],
    sizeBytes: 3.3 * MB,
    behaviour: { kind: 'server', port: 80 },
    cmd: ['/whoami'],
    exposedPorts: [80],
    binaries: ['/whoami'],
  },
  {
    repo: 'wordpress',
    summary: 'WordPress on Apache (port 80).',
    tags: ['latest', '6', '6.7', 'php8.3'],
    sizeBytes: 250 * MB,
    behaviour: { kind: 'server', port: 80 },
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['apache2-foreground'],
    exposedPorts: [80],
    binaries: ['apache2-foreground', 'docker-entrypoint.sh'],
  },
  {
    repo: 'grafana/grafana',
    summary: 'Grafana dashboards (port 3000).',
    tags: ['latest', '11.4.0'],
    sizeBytes: 140 * MB,
    behaviour: { kind: 'server', port: 3000 },
    cmd: ['/run.sh'],
    exposedPorts: [3000],
    binaries: ['/run.sh'],
  },
  {
    repo: 'prom/prometheus',
    summary: 'Prometheus monitoring (port 9090).',
    tags: ['latest', 'v3.0.1'],
    sizeBytes: 110 * MB,
    behaviour: { kind: 'server', port: 9090 },
    entrypoint: ['/bin/prometheus'],
    cmd: ['--config.file=/etc/prometheus/prometheus.yml'],
    exposedPorts: [9090],
    binaries: ['/bin/prometheus', 'prometheus'],
  },
  {
    repo: 'amazon/aws-cli',
    summary: 'The AWS CLI as an image; with no arguments it prints its help and exits 252.',
    tags: ['latest', '2.22.0'],
    sizeBytes: 130 * MB,
    behaviour: { kind: 'command', exitCode: 252, durationMs: 800 },
    entrypoint: ['/usr/local/bin/aws'],
    cmd: [],
    exposedPorts: [],
  },
  {
    repo: 'public.ecr.aws/aws-observability/aws-for-fluent-bit',
    summary: 'Fluent Bit for FireLens log routing.',
    tags: ['latest', 'stable'],
    sizeBytes: 110 * MB,
    behaviour: { kind: 'server', port: 24224 },
    cmd: ['/entrypoint.sh'],
    exposedPorts: [2020, 24224],
    binaries: ['/entrypoint.sh'],
  },
];

const BY_REPO = new Map(CATALOGUE.map((c) => [c.repo, c]));

export function catalogueImage(repo: string): CatalogueImage | undefined {
  return BY_REPO.get(repo);
}

export function catalogueSize(img: CatalogueImage, tag: string): number {
  for (const [key, size] of Object.entries(img.variantSizes ?? {})) if (tag.includes(key)) return Math.round(size);
  return Math.round(img.sizeBytes);
}

/** Docker shows the unpacked size; layers compress to roughly 40% of it. */
export function uncompressedSize(compressed: number): number {
  return Math.round(compressed * 2.6);
}
