/** `sandbox ecs cost`: what Fargate tasks cost per hour (us-east-1 list prices), by size, and for a cluster's running tasks. */
import { registerSandboxCommand } from './registry';
import type { CommandContext } from '../types';
import { ADMIN_IDENTITY } from '../../engine';
import { FARGATE_SIZES } from '../../engine/services/ecs/task-definition-validator';
import { FARGATE_PRICES, fargateHourlyPrice } from '../../engine/services/ecs/fargate';
import { findCluster, tasksOfCluster } from '../../engine/services/ecs/model';
import { beginStop } from '../../engine/services/ecs/lifecycle';
import { normaliseTaskCpu, normaliseTaskMemory, isValidFargateSize } from '../../engine/services/ecs/task-definition-validator';

function regionOf(ctx: CommandContext): string {
  return ctx.env['AWS_REGION'] ?? ctx.env['AWS_DEFAULT_REGION'] ?? ctx.session.region ?? 'us-east-1';
}

const usd = (n: number, digits = 5) => `$${n.toFixed(digits)}`;

function opt(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const USAGE =
  'sandbox ecs cost [--cpu CPU --memory MEMORY] [--hours N] [--cluster NAME]\n\n' +
  'Prices Fargate tasks with the us-east-1 list prices: per vCPU-hour and per GB-hour, Linux on x86,\n' +
  'Linux on ARM (Graviton) and Fargate Spot (x86). Storage above the free 20 GiB is billed per GB-hour.\n' +
  '  (no option)          the price per hour of every valid task size\n' +
  '  --cpu C --memory M   one task size (256, "0.5 vCPU"; 512, "1 GB"), for --hours N hours (default 1)\n' +
  '  --cluster NAME       what the cluster\'s live Fargate tasks cost per hour, task by task\n' +
  '  --prices             the unit prices\n';

registerSandboxCommand({
  path: ['ecs', 'cost'],
  summary: 'Fargate price per task size per hour (us-east-1), Spot and ARM too',
  usage: USAGE,
  run(ctx, args) {
    if (args.includes('--help') || args.includes('-h')) {
      ctx.out(USAGE);
      return 0;
    }
    const p = FARGATE_PRICES;
    if (args.includes('--prices')) {
      ctx.out('KIND            PER vCPU-HOUR   PER GB-HOUR\n');
      ctx.out(`Linux/x86       ${usd(p.linuxX86.vcpuHour).padEnd(15)} ${usd(p.linuxX86.gbHour, 6)}\n`);
      ctx.out(`Linux/ARM       ${usd(p.linuxArm.vcpuHour).padEnd(15)} ${usd(p.linuxArm.gbHour, 6)}\n`);
      ctx.out(`Spot (x86)      ${usd(p.spotX86.vcpuHour).padEnd(15)} ${usd(p.spotX86.gbHour, 6)}\n`);
      ctx.out(`Ephemeral storage above 20 GiB: ${usd(p.storageGbHour, 6)} per GB-hour\n`);
      return 0;
    }
    const hoursText = opt(args, '--hours');
    const hours = hoursText === undefined ? 1 : Number(hoursText);
    if (!(hours > 0)) {
      ctx.err('sandbox: ecs cost: --hours needs a positive number\n');
      return 2;
    }
    const clusterName = opt(args, '--cluster');
    if (clusterName !== undefined) {
      const region = regionOf(ctx);
      const c = ctx.sandbox.context(region, ADMIN_IDENTITY);
      let cluster;
      try {
        cluster = findCluster(c, clusterName);
      } catch {
        ctx.err(`sandbox: ecs cost: cluster ${clusterName} not found in ${region}\n`);
        return 1;
      }
      const live = tasksOfCluster(c, cluster.arn).filter((t) => t.launchType === 'FARGATE' && t.lastStatus !== 'STOPPED');
      if (!live.length) {
        ctx.out(`No Fargate tasks running in ${cluster.name}: $0.00 per hour.\n`);
        return 0;
      }
      let total = 0;
      ctx.out('TASK                              SIZE            PROVIDER       PER HOUR\n');
      for (const t of live) {
        const cpu = parseInt(t.cpu ?? '0', 10);
        const mem = parseInt(t.memory ?? '0', 10);
        const kind = t.capacityProviderName === 'FARGATE_SPOT' ? 'spotX86' : 'linuxX86';
        const price = fargateHourlyPrice(cpu, mem, kind, t.ephemeralStorageGiB ?? 20);
        total += price;
        ctx.out(`${t.id}  ${`${cpu}/${mem}`.padEnd(15)} ${(t.capacityProviderName ?? 'FARGATE').padEnd(14)} ${usd(price)}\n`);
      }
      ctx.out(`Total: ${usd(total)} per hour, ${usd(total * 24 * 30, 2)} per 30-day month.\n`);
      return 0;
    }
    const cpuText = opt(args, '--cpu');
    const memText = opt(args, '--memory');
    if (cpuText !== undefined || memText !== undefined) {
      const cpu = cpuText ? normaliseTaskCpu(cpuText) : null;
      const mem = memText ? normaliseTaskMemory(memText) : null;
      if (!cpu || !mem) {
        ctx.err('sandbox: ecs cost: give both --cpu (256, "1 vCPU") and --memory (512, "2 GB")\n');
        return 2;
      }
      const c = parseInt(cpu, 10);
      const m = parseInt(mem, 10);
      if (!isValidFargateSize(c, m)) {
        ctx.err(`sandbox: ecs cost: no Fargate configuration exists for ${c} CPU, ${m} memory\n`);
        return 1;
      }
      const x86 = fargateHourlyPrice(c, m, 'linuxX86');
      const arm = fargateHourlyPrice(c, m, 'linuxArm');
      const spot = fargateHourlyPrice(c, m, 'spotX86');
      ctx.out(`Fargate task ${c} CPU (${c / 1024} vCPU), ${m} MiB (${m / 1024} GB), ${hours} hour(s):\n`);
      ctx.out(`  Linux/x86   ${usd(x86 * hours)}\n  Linux/ARM   ${usd(arm * hours)}\n  Spot (x86)  ${usd(spot * hours)}\n`);
      return 0;
    }
    ctx.out('CPU    vCPU  MEMORY(MiB)  LINUX/X86/h  LINUX/ARM/h  SPOT/h\n');
    for (const size of FARGATE_SIZES) {
      for (const m of size.memory) {
        ctx.out(
          `${String(size.cpu).padEnd(6)} ${String(size.cpu / 1024).padEnd(5)} ${String(m).padEnd(12)} ${usd(fargateHourlyPrice(size.cpu, m, 'linuxX86')).padEnd(12)} ${usd(fargateHourlyPrice(size.cpu, m, 'linuxArm')).padEnd(12)} ${usd(fargateHourlyPrice(size.cpu, m, 'spotX86'))}\n`,
        );
      }
    }
    return 0;
  },
});

registerSandboxCommand({
  path: ['ecs', 'spot-interrupt'],
  summary: 'Reclaim Fargate Spot capacity: the FARGATE_SPOT tasks of a cluster stop with SpotInterruption',
  usage:
    'sandbox ecs spot-interrupt --cluster NAME [--task ID]\n\n' +
    'Simulates AWS taking back Spot capacity: each live FARGATE_SPOT task of the cluster (or only --task)\n' +
    'gets SIGTERM and stops with stopCode SpotInterruption. Tasks on FARGATE are not affected.\n',
  run(ctx, args) {
    const clusterName = opt(args, '--cluster') ?? 'default';
    const only = opt(args, '--task');
    const region = regionOf(ctx);
    return ctx.sandbox.mutate((sb) => {
      const c = sb.context(region, ADMIN_IDENTITY);
      let cluster;
      try {
        cluster = findCluster(c, clusterName);
      } catch {
        ctx.err(`sandbox: ecs spot-interrupt: cluster ${clusterName} not found in ${region}\n`);
        return 1;
      }
      const victims = tasksOfCluster(c, cluster.arn).filter(
        (t) => t.capacityProviderName === 'FARGATE_SPOT' && t.desiredStatus !== 'STOPPED' && t.lastStatus !== 'STOPPED' && (!only || t.id === only || t.arn === only),
      );
      for (const t of victims) beginStop(c, t.arn, 'SpotInterruption', 'Your Spot Task was interrupted.');
      ctx.out(victims.length ? `Interrupted ${victims.length} Fargate Spot task(s) in ${cluster.name}.\n` : `No live Fargate Spot task in ${cluster.name}.\n`);
      return 0;
    });
  },
});
