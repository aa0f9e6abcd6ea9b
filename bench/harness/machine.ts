/**
 * What the figures were measured on. The machine is shared, so its load is part of every result: the
 * load averages at the start and the end of a run say whether the ratios can be compared with another
 * run's (ratios drift when other processes take the cores, even though both runners share them).
 */

import { cpus, loadavg, totalmem } from "node:os";

export interface LoadSnapshot {
  /** 1, 5 and 15 minute load averages. */
  loadavg: [number, number, number];
  at: string;
}

export interface MachineInfo {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
}

export function loadNow(): LoadSnapshot {
  const [one, five, fifteen] = loadavg() as [number, number, number];
  return { loadavg: [one, five, fifteen], at: new Date().toISOString() };
}

export function machine(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    memoryGB: Math.round(totalmem() / 1024 ** 3),
  };
}

export function describeLoad(load: LoadSnapshot): string {
  return load.loadavg.map((value) => value.toFixed(2)).join(" / ");
}
