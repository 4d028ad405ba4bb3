// Whether a process on this machine still exists: the liveness test behind lock holders, lease
// owners, staged files of other writers and workloads that outlived their server.

/** True while process `pid` exists; EPERM means it exists but belongs to another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
