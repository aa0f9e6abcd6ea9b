/**
 * The CPU time this process spends while an async step runs, for tests that bound how much work a step
 * does (linear, not quadratic). Unlike the wall clock it does not grow when other programs share the
 * cores, so such a bound means the same on a busy machine as on a quiet one.
 */

export async function withCpuTime<T>(step: () => Promise<T>): Promise<{ value: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const value = await step();
  const used = process.cpuUsage(before);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}
