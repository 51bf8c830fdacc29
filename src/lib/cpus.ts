// The CPUs this process may use: the CPUs it may run on (os.availableParallelism), bounded by a Linux cgroup CPU
// quota (a container started with `--cpus 2`, a Kubernetes CPU limit, a systemd CPUQuota). On Node 20 (libuv 1.46)
// os.availableParallelism is the affinity mask alone, so a container limited to 2 CPUs on a 64-CPU host would get
// 64; newer libuv reads some cgroup setups itself, its own way. The smaller of its answer and the quota read here
// counts: never more than either.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { posix } from 'node:path'

/** Where cgroup files are read from; tests pass a directory of their own. */
export interface CgroupFiles {
  /** Reads a file by its absolute path (under /proc or /sys/fs/cgroup); undefined when it cannot. */
  read(path: string): string | undefined
}

const realFiles: CgroupFiles = {
  read(path) {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      return undefined
    }
  }
}

/** At least 1; at most the CPUs the process may run on; at most the cgroup quota, rounded down. */
export function usableCpus(files?: CgroupFiles, cpus = availableParallelism()): number {
  const quota = files ? cgroupCpuQuota(files) : process.platform === 'linux' ? cgroupCpuQuota(realFiles) : undefined
  return Math.max(1, quota === undefined ? cpus : Math.min(cpus, Math.floor(quota)))
}

const ROOT = '/sys/fs/cgroup'

/**
 * The tightest CPU quota (in CPUs, e.g. 1.5) of this process's cgroup and its ancestors, or undefined when none is
 * set or none can be read. cgroup v2 (`0::/path` in /proc/self/cgroup, `cpu.max` = "QUOTA PERIOD" or "max PERIOD")
 * and v1's cpu controller (`cpu.cfs_quota_us`, -1 for none, and `cpu.cfs_period_us`); on a hybrid host both. Inside a
 * container the cgroup path is usually "/" and its files sit at the mount's root. A path that is not there (a
 * container without a cgroup namespace, where the runtime mounts the container's own cgroup at the root) is read
 * at the mount's root only. A path above the namespace's root (`/..`) has no limit this process can read.
 */
export function cgroupCpuQuota(files: CgroupFiles): number | undefined {
  const self = files.read('/proc/self/cgroup')
  if (self === undefined) return undefined
  let tightest: number | undefined
  const take = (q: number | undefined): void => {
    if (q !== undefined && q > 0 && (tightest === undefined || q < tightest)) tightest = q
  }
  for (const line of self.split('\n')) {
    const fields = splitLine(line)
    if (!fields) continue
    const [controllers, path] = fields
    if (controllers === '') {
      // Every v2 cgroup has cgroup.controllers; cpu.max only where the parent enabled the cpu controller.
      for (const dir of ancestors(files, ROOT, path, 'cgroup.controllers')) take(v2Quota(files.read(`${dir}/cpu.max`)))
    } else if (controllers.split(',').includes('cpu')) {
      for (const mount of [`${ROOT}/cpu,cpuacct`, `${ROOT}/cpu`]) {
        for (const dir of ancestors(files, mount, path, 'cpu.cfs_period_us')) {
          take(v1Quota(files.read(`${dir}/cpu.cfs_quota_us`), files.read(`${dir}/cpu.cfs_period_us`)))
        }
      }
    }
  }
  return tightest
}

/**
 * CONTROLLERS and PATH of "ID:CONTROLLERS:PATH" (the path may hold colons and spaces), or undefined for another
 * line and for a path above the cgroup namespace's root.
 */
function splitLine(line: string): [string, string] | undefined {
  const a = line.indexOf(':')
  const b = a < 0 ? -1 : line.indexOf(':', a + 1)
  const path = line.slice(b + 1)
  if (b < 0 || !path.startsWith('/') || path === '/..' || path.startsWith('/../')) return undefined
  return [line.slice(a + 1, b), path]
}

/** The cgroup's directory under `mount` and each parent up to `mount`; only `mount` when the path is not there. */
function ancestors(files: CgroupFiles, mount: string, path: string, probe: string): string[] {
  const joined = posix.join(mount, path) // normalized: a trailing slash at most
  const own = joined.endsWith('/') ? joined.slice(0, -1) : joined
  if (!own.startsWith(`${mount}/`) || files.read(`${own}/${probe}`) === undefined) return [mount]
  const dirs = [own]
  for (let dir = posix.dirname(own); dir.startsWith(`${mount}/`); dir = posix.dirname(dir)) dirs.push(dir)
  return [...dirs, mount]
}

function v2Quota(text: string | undefined): number | undefined {
  const m = /^(\d+) (\d+)\s*$/.exec(text ?? '')
  return m && Number(m[2]) > 0 ? Number(m[1]) / Number(m[2]) : undefined
}

function v1Quota(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number((quota ?? '').trim())
  const p = Number((period ?? '').trim())
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined
}
