/**
 * The instance types the sandbox can launch, with their real vCPU count and
 * memory (MiB) and processor architecture. The ECS container agent registers
 * 1,024 CPU units per vCPU and the memory left after the OS and the agent.
 */

export interface InstanceTypeInfo {
  name: string;
  vcpus: number;
  memoryMiB: number;
  arch: 'x86_64' | 'arm64';
  /** Physical cores (CpuOptions.CoreCount); threads per core = vcpus / cores. */
  cores: number;
  /** Burstable (T family): shows a CreditSpecification. */
  burstable: boolean;
  hypervisor: 'xen' | 'nitro';
}

const T: InstanceTypeInfo[] = [];
function add(name: string, vcpus: number, memGiB: number, arch: 'x86_64' | 'arm64' = 'x86_64', threads = 2, hypervisor: 'xen' | 'nitro' = 'nitro'): void {
  T.push({
    name,
    vcpus,
    memoryMiB: Math.round(memGiB * 1024),
    arch,
    cores: Math.max(1, Math.floor(vcpus / threads)),
    burstable: /^t\d/.test(name),
    hypervisor,
  });
}

// Previous generation default of RunInstances when no type is given.
add('m1.small', 1, 1.7, 'x86_64', 1, 'xen');
// T2 (Xen, one thread per core)
add('t2.nano', 1, 0.5, 'x86_64', 1, 'xen');
add('t2.micro', 1, 1, 'x86_64', 1, 'xen');
add('t2.small', 1, 2, 'x86_64', 1, 'xen');
add('t2.medium', 2, 4, 'x86_64', 1, 'xen');
add('t2.large', 2, 8, 'x86_64', 1, 'xen');
add('t2.xlarge', 4, 16, 'x86_64', 1, 'xen');
add('t2.2xlarge', 8, 32, 'x86_64', 1, 'xen');
for (const fam of ['t3', 't3a']) {
  add(`${fam}.nano`, 2, 0.5);
  add(`${fam}.micro`, 2, 1);
  add(`${fam}.small`, 2, 2);
  add(`${fam}.medium`, 2, 4);
  add(`${fam}.large`, 2, 8);
  add(`${fam}.xlarge`, 4, 16);
  add(`${fam}.2xlarge`, 8, 32);
}
// Graviton burstable and general purpose (arm64, one thread per core)
add('t4g.micro', 2, 1, 'arm64', 1);
add('t4g.small', 2, 2, 'arm64', 1);
add('t4g.medium', 2, 4, 'arm64', 1);
add('t4g.large', 2, 8, 'arm64', 1);
add('t4g.xlarge', 4, 16, 'arm64', 1);
add('m6g.medium', 1, 4, 'arm64', 1);
add('m6g.large', 2, 8, 'arm64', 1);
add('m6g.xlarge', 4, 16, 'arm64', 1);
for (const fam of ['m5', 'm6i', 'm5a']) {
  add(`${fam}.large`, 2, 8);
  add(`${fam}.xlarge`, 4, 16);
  add(`${fam}.2xlarge`, 8, 32);
  add(`${fam}.4xlarge`, 16, 64);
}
add('c5.large', 2, 4);
add('c5.xlarge', 4, 8);
add('c5.2xlarge', 8, 16);
add('c5.4xlarge', 16, 32);
add('r5.large', 2, 16);
add('r5.xlarge', 4, 32);
add('r5.2xlarge', 8, 64);
add('r5.4xlarge', 16, 128);

const BY_NAME = new Map(T.map((t) => [t.name, t]));

export const INSTANCE_TYPES: readonly InstanceTypeInfo[] = T;

export function instanceType(name: string): InstanceTypeInfo | undefined {
  return BY_NAME.get(name);
}

/**
 * Memory (MiB) the ECS agent registers for an instance type: the instance's
 * memory minus what the kernel, the OS and the agent keep (about 4.7%; a
 * t3.medium's 4,096 MiB registers as 3,904 as on the real ECS-optimized AMI).
 */
export function ecsRegisteredMemory(t: InstanceTypeInfo): number {
  return t.memoryMiB - Math.round((t.memoryMiB * 3) / 64);
}

/** CPU units the ECS agent registers: 1,024 per vCPU. */
export function ecsRegisteredCpu(t: InstanceTypeInfo): number {
  return t.vcpus * 1024;
}
