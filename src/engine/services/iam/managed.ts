/**
 * A few AWS managed policies, with documents we wrote to grant what AWS's do.
 * They live under arn:aws:iam::aws:policy/... and cannot be changed or deleted.
 */
export interface ManagedPolicy {
  name: string;
  path: string;
  id: string;
  description: string;
  created: number;
  updated: number;
  versionId: string;
  document: Record<string, unknown>;
}

const d = (y: number, m: number, day: number) => Date.UTC(y, m - 1, day, 0, 0, 0);

export const AWS_MANAGED: ManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    id: 'ANPAIWMBCKSKIEE64ZLYK',
    description: 'Provides full access to AWS services and resources.',
    created: d(2015, 2, 6),
    updated: d(2015, 2, 6),
    versionId: 'v1',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'AmazonS3FullAccess',
    path: '/',
    id: 'ANPAIFIR6V6BVTRAHWINE',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    created: d(2015, 2, 6),
    updated: d(2021, 9, 27),
    versionId: 'v2',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }] },
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    id: 'ANPAIZTJ4DXE7G6AGAE6M',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    created: d(2015, 2, 6),
    updated: d(2023, 8, 10),
    versionId: 'v3',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }],
    },
  },
  {
    name: 'IAMReadOnlyAccess',
    path: '/',
    id: 'ANPAJKSO7NDY4T57MWDSQ',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    created: d(2015, 2, 6),
    updated: d(2018, 1, 25),
    versionId: 'v4',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GenerateCredentialReport', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'], Resource: '*' }] },
  },
  {
    name: 'AmazonECSTaskExecutionRolePolicy',
    path: '/service-role/',
    id: 'ANPAJG4T4G4PV56DE72PY',
    description: 'Provides access to other AWS service resources that are required to run Amazon ECS tasks',
    created: d(2017, 11, 16),
    updated: d(2017, 11, 16),
    versionId: 'v1',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerServiceforEC2Role',
    path: '/service-role/',
    id: 'ANPAJLYJCVHC7TQHCSQDS',
    description: 'Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.',
    created: d(2015, 3, 19),
    updated: d(2023, 5, 4),
    versionId: 'v7',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:DescribeTags',
            'ecs:CreateCluster',
            'ecs:DeregisterContainerInstance',
            'ecs:DiscoverPollEndpoint',
            'ecs:Poll',
            'ecs:RegisterContainerInstance',
            'ecs:StartTelemetrySession',
            'ecs:UpdateContainerInstancesState',
            'ecs:Submit*',
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchGetImage',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: 'ecs:TagResource',
          Resource: '*',
          Condition: { StringEquals: { 'ecs:CreateAction': ['CreateCluster', 'RegisterContainerInstance'] } },
        },
      ],
    },
  },
];

export const managedArn = (p: Pick<ManagedPolicy, 'path' | 'name'>) => `arn:aws:iam::aws:policy${p.path}${p.name}`;

const BY_ARN = new Map(AWS_MANAGED.map((p) => [managedArn(p), p]));

export function awsManagedPolicy(arn: string): ManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
