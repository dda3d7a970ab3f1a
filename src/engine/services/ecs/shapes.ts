/** ECS input shapes shared by several operations (our declarations; member names as in the API). */
import { s } from '../../shapes';

const strList = (doc?: string) => s.list(s.str(), doc ? { doc } : {});
const kv = () => s.struct({ name: s.str({ doc: 'Variable or option name.' }), value: s.str({ doc: 'Its value.' }) });

export const Tags = () =>
  s.list(s.struct({ key: s.str({ min: 1, max: 128, doc: 'Tag key.' }), value: s.str({ max: 256, doc: 'Tag value.' }) }, ['key']), {
    max: 50,
    doc: 'Labels for the resource, as key/value pairs (up to 50).',
  });

export const PortMapping = s.struct({
  containerPort: s.int({ doc: 'Port the container listens on.' }),
  hostPort: s.int({ doc: 'Port on the host (EC2 bridge mode: 0 or absent picks a free ephemeral port; awsvpc/host: same as containerPort).' }),
  protocol: s.enum(['tcp', 'udp'] as const, { doc: 'tcp (default) or udp.' }),
  name: s.str({ doc: 'A name for the mapping (Service Connect).' }),
  appProtocol: s.enum(['http', 'http2', 'grpc'] as const, { doc: 'Application protocol of the port.' }),
  containerPortRange: s.str({ doc: 'A range of container ports such as 8000-8010.' }),
});

export const HealthCheck = s.struct(
  {
    command: strList('The check: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] or ["CMD", ...].'),
    interval: s.int({ doc: 'Seconds between checks (5-300, default 30).' }),
    timeout: s.int({ doc: 'Seconds before a check counts as failed (2-120, default 5).' }),
    retries: s.int({ doc: 'Failures in a row before UNHEALTHY (1-10, default 3).' }),
    startPeriod: s.int({ doc: 'Grace period in seconds before failures count (0-300).' }),
  },
  ['command'],
);

const Secret = s.struct({ name: s.str({ doc: 'Environment variable name.' }), valueFrom: s.str({ doc: 'ARN of the Secrets Manager secret or SSM parameter.' }) }, [
  'name',
  'valueFrom',
]);

export const LogConfiguration = s.struct(
  {
    logDriver: s.enum(['json-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'awsfirelens'] as const, {
      doc: 'Where container output goes: awslogs sends it to CloudWatch Logs.',
    }),
    options: s.map(s.str(), { doc: 'Driver options, e.g. awslogs-group, awslogs-region, awslogs-stream-prefix.' }),
    secretOptions: s.list(Secret),
  },
  ['logDriver'],
);

export const ContainerDefinition = s.struct({
  name: s.str({ doc: 'Container name, unique in the task definition.' }),
  image: s.str({ doc: 'Image to run: nginx:latest, public.ecr.aws/..., or an ECR repository URI.' }),
  repositoryCredentials: s.struct({ credentialsParameter: s.str() }, ['credentialsParameter']),
  cpu: s.int({ doc: 'CPU units reserved for the container (1024 = one vCPU).' }),
  memory: s.int({ doc: 'Hard memory limit in MiB: the container is killed above it.' }),
  memoryReservation: s.int({ doc: 'Soft memory limit in MiB: what placement reserves.' }),
  links: strList(),
  portMappings: s.list(PortMapping, { doc: 'Ports the container exposes.' }),
  essential: s.bool({ doc: 'When an essential container stops, the whole task stops (default true).' }),
  restartPolicy: s.struct({ enabled: s.bool(), ignoredExitCodes: s.list(s.int()), restartAttemptPeriod: s.int() }, ['enabled']),
  entryPoint: strList('Overrides the image ENTRYPOINT.'),
  command: strList('Overrides the image CMD.'),
  environment: s.list(kv(), { doc: 'Environment variables as name/value pairs.' }),
  environmentFiles: s.list(s.struct({ value: s.str(), type: s.enum(['s3'] as const) }, ['value', 'type'])),
  mountPoints: s.list(
    s.struct({ sourceVolume: s.str({ doc: 'Name of a volume of the task definition.' }), containerPath: s.str(), readOnly: s.bool() }),
    { doc: 'Volumes mounted into the container.' },
  ),
  volumesFrom: s.list(s.struct({ sourceContainer: s.str(), readOnly: s.bool() })),
  linuxParameters: s.struct({
    capabilities: s.struct({ add: strList(), drop: strList() }),
    devices: s.list(s.struct({ hostPath: s.str(), containerPath: s.str(), permissions: s.list(s.enum(['read', 'write', 'mknod'] as const)) }, ['hostPath'])),
    initProcessEnabled: s.bool(),
    sharedMemorySize: s.int(),
    tmpfs: s.list(s.struct({ containerPath: s.str(), size: s.int(), mountOptions: strList() }, ['containerPath', 'size'])),
    maxSwap: s.int(),
    swappiness: s.int(),
  }),
  secrets: s.list(Secret, { doc: 'Environment variables filled from Secrets Manager or SSM at start (needs an execution role).' }),
  dependsOn: s.list(
    s.struct(
      { containerName: s.str(), condition: s.enum(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] as const) },
      ['containerName', 'condition'],
    ),
    { doc: 'Start order: wait for other containers to START, COMPLETE, SUCCEED or be HEALTHY.' },
  ),
  startTimeout: s.int(),
  stopTimeout: s.int(),
  versionConsistency: s.enum(['enabled', 'disabled'] as const),
  hostname: s.str(),
  user: s.str(),
  workingDirectory: s.str(),
  disableNetworking: s.bool(),
  privileged: s.bool(),
  readonlyRootFilesystem: s.bool(),
  dnsServers: strList(),
  dnsSearchDomains: strList(),
  extraHosts: s.list(s.struct({ hostname: s.str(), ipAddress: s.str() }, ['hostname', 'ipAddress'])),
  dockerSecurityOptions: strList(),
  interactive: s.bool(),
  pseudoTerminal: s.bool(),
  dockerLabels: s.map(s.str()),
  ulimits: s.list(s.struct({ name: s.str(), softLimit: s.int(), hardLimit: s.int() }, ['name', 'softLimit', 'hardLimit'])),
  logConfiguration: LogConfiguration,
  healthCheck: HealthCheck,
  systemControls: s.list(s.struct({ namespace: s.str(), value: s.str() })),
  resourceRequirements: s.list(s.struct({ value: s.str(), type: s.enum(['GPU', 'InferenceAccelerator', 'NeuronDevice'] as const) }, ['value', 'type'])),
  firelensConfiguration: s.struct({ type: s.enum(['fluentd', 'fluentbit'] as const), options: s.map(s.str()) }, ['type']),
  credentialSpecs: strList(),
});

export const Volume = s.struct({
  name: s.str({ doc: 'Name that mountPoints refer to.' }),
  host: s.struct({ sourcePath: s.str({ doc: 'Path on the EC2 host (bind mount); empty for a task-scoped scratch volume.' }) }),
  dockerVolumeConfiguration: s.struct({
    scope: s.enum(['task', 'shared'] as const),
    autoprovision: s.bool(),
    driver: s.str(),
    driverOpts: s.map(s.str()),
    labels: s.map(s.str()),
  }),
  efsVolumeConfiguration: s.struct(
    {
      fileSystemId: s.str(),
      rootDirectory: s.str(),
      transitEncryption: s.enum(['ENABLED', 'DISABLED'] as const),
      transitEncryptionPort: s.int(),
      authorizationConfig: s.struct({ accessPointId: s.str(), iam: s.enum(['ENABLED', 'DISABLED'] as const) }),
    },
    ['fileSystemId'],
  ),
  configuredAtLaunch: s.bool(),
});

export const PlacementConstraint = s.struct({
  type: s.enum(['distinctInstance', 'memberOf'] as const, { doc: 'distinctInstance or memberOf.' }),
  expression: s.str({ doc: 'For memberOf: a cluster query language expression.' }),
});
export const PlacementStrategy = s.struct({
  type: s.enum(['random', 'spread', 'binpack'] as const, { doc: 'random, spread or binpack.' }),
  field: s.str({ doc: 'binpack: cpu or memory; spread: instanceId, host or attribute:NAME.' }),
});

export const CapacityProviderStrategy = () =>
  s.list(
    s.struct(
      { capacityProvider: s.str({ doc: 'FARGATE, FARGATE_SPOT or a provider name.' }), weight: s.int({ min: 0, max: 1000 }), base: s.int({ min: 0, max: 100000 }) },
      ['capacityProvider'],
    ),
    { doc: 'How tasks are split over capacity providers.' },
  );

export const NetworkConfiguration = s.struct({
  awsvpcConfiguration: s.struct(
    {
      subnets: s.list(s.str({ complete: 'subnet' }), { doc: 'Subnet ids (up to 16) the task ENI may use.' }),
      securityGroups: s.list(s.str({ complete: 'security-group' }), { doc: 'Security group ids (up to 5); default: the VPC default group.' }),
      assignPublicIp: s.enum(['ENABLED', 'DISABLED'] as const, { doc: 'Give the ENI a public IP (Fargate).' }),
    },
    ['subnets'],
  ),
});

export const TaskOverride = s.struct({
  containerOverrides: s.list(
    s.struct({
      name: s.str(),
      command: strList(),
      environment: s.list(kv()),
      environmentFiles: s.list(s.struct({ value: s.str(), type: s.enum(['s3'] as const) }, ['value', 'type'])),
      cpu: s.int(),
      memory: s.int(),
      memoryReservation: s.int(),
      resourceRequirements: s.list(s.struct({ value: s.str(), type: s.enum(['GPU', 'InferenceAccelerator', 'NeuronDevice'] as const) }, ['value', 'type'])),
    }),
  ),
  cpu: s.str(),
  inferenceAcceleratorOverrides: s.list(s.struct({ deviceName: s.str(), deviceType: s.str() })),
  executionRoleArn: s.str(),
  memory: s.str(),
  taskRoleArn: s.str(),
  ephemeralStorage: s.struct({ sizeInGiB: s.int() }, ['sizeInGiB']),
});
