// The CPUs a job may use: the affinity count bounded by a cgroup v2 or v1 CPU quota, as containers and Kubernetes
// set it, read from a directory laid out as /proc/self/cgroup and /sys/fs/cgroup are.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { cgroupCpuQuota, usableCpus, type CgroupFiles } from '../src/lib/cpus.js'
import { cleanupTempDirs, makeTempDir } from './helpers/gotest-env.js'

afterAll(cleanupTempDirs)

/** A fake root holding the given files (absolute paths inside it), read as the real ones would be. */
function root(files: Record<string, string>): CgroupFiles {
  const dir = makeTempDir('gtg-cgroup-')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return {
    read(path) {
      try {
        return readFileSync(join(dir, path), 'utf8')
      } catch {
        return undefined
      }
    }
  }
}

describe('cgroup v2', () => {
  it('a container limited to 2.5 CPUs on an 8-CPU host gets 2 (a fraction of a CPU is rounded down)', () => {
    const files = root({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '250000 100000\n' })
    expect(cgroupCpuQuota(files)).toBe(2.5)
    expect(usableCpus(files, 8)).toBe(2)
  })

  it('"max" is no limit: the affinity count stands', () => {
    const files = root({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' })
    expect(cgroupCpuQuota(files)).toBeUndefined()
    expect(usableCpus(files, 8)).toBe(8)
  })

  it('the tightest limit of the cgroup and its ancestors counts', () => {
    const files = root({
      '/proc/self/cgroup': '0::/kubepods/pod1/c1\n',
      '/sys/fs/cgroup/cpu.max': 'max 100000\n',
      '/sys/fs/cgroup/kubepods/cgroup.controllers': 'cpu memory\n',
      '/sys/fs/cgroup/kubepods/cpu.max': '1600000 100000\n',
      '/sys/fs/cgroup/kubepods/pod1/cgroup.controllers': 'cpu memory\n',
      '/sys/fs/cgroup/kubepods/pod1/cpu.max': '300000 100000\n',
      '/sys/fs/cgroup/kubepods/pod1/c1/cgroup.controllers': 'cpu memory\n',
      '/sys/fs/cgroup/kubepods/pod1/c1/cpu.max': 'max 100000\n'
    })
    expect(cgroupCpuQuota(files)).toBe(3)
    expect(usableCpus(files, 64)).toBe(3)
  })

  it('a systemd service without the cpu controller of its own is bound by its slice (CPUQuota=200%)', () => {
    const files = root({
      '/proc/self/cgroup': '0::/limited.slice/runner.service\n',
      '/sys/fs/cgroup/cgroup.controllers': 'cpu memory\n',
      '/sys/fs/cgroup/limited.slice/cgroup.controllers': 'cpu memory\n',
      '/sys/fs/cgroup/limited.slice/cpu.max': '200000 100000\n',
      '/sys/fs/cgroup/limited.slice/runner.service/cgroup.controllers': 'memory\n'
    })
    expect(cgroupCpuQuota(files)).toBe(2)
    expect(usableCpus(files, 16)).toBe(2)
  })

  it('a path the mount does not show (the host view of a container cgroup) reads the mount root only', () => {
    const files = root({ '/proc/self/cgroup': '0::/system.slice/x.scope\n', '/sys/fs/cgroup/cpu.max': '200000 100000' })
    expect(cgroupCpuQuota(files)).toBe(2)
  })

  it('a path above the cgroup namespace root has no readable limit, and nothing outside the mount is read', () => {
    const files = root({
      '/proc/self/cgroup': '0::/../../../etc\n',
      '/etc/cpu.max': '100000 100000\n',
      '/sys/fs/cgroup/cpu.max': '400000 100000\n'
    })
    expect(cgroupCpuQuota(files)).toBeUndefined()
  })

  it('a quota above the CPUs the process may run on does not raise them', () => {
    const files = root({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '1600000 100000\n' })
    expect(usableCpus(files, 4)).toBe(4)
  })

  it('malformed files are no limit', () => {
    for (const text of ['', 'garbage', '100000 0', '-1 100000', '1e9 100000']) {
      const files = root({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': text })
      expect(usableCpus(files, 6)).toBe(6)
    }
  })
})

describe('cgroup v1', () => {
  it('the cpu controller quota under cpu,cpuacct: half a CPU is still one', () => {
    const files = root({
      '/proc/self/cgroup': '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n',
      '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '50000\n',
      '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n'
    })
    expect(cgroupCpuQuota(files)).toBe(0.5)
    expect(usableCpus(files, 16)).toBe(1)
  })

  it('a container without a cgroup namespace: its own cgroup is mounted at the root, where the path is absent', () => {
    const files = root({
      '/proc/self/cgroup': '4:cpu,cpuacct:/docker/0123abcd\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '300000\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n'
    })
    expect(usableCpus(files, 16)).toBe(3)
  })

  it('the controller mounted alone at /sys/fs/cgroup/cpu; -1 is no limit', () => {
    const limited = root({
      '/proc/self/cgroup': '3:cpu:/\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '200000\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n'
    })
    expect(usableCpus(limited, 16)).toBe(2)
    const unlimited = root({
      '/proc/self/cgroup': '3:cpu:/\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n'
    })
    expect(usableCpus(unlimited, 16)).toBe(16)
  })

  it('a hybrid host: the v1 cpu controller limits, the unified v2 line (no cpu controller there) does not', () => {
    const files = root({
      '/proc/self/cgroup': '5:cpu,cpuacct:/\n1:name=systemd:/\n0::/\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '150000\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/unified/cgroup.controllers': '\n'
    })
    expect(cgroupCpuQuota(files)).toBe(1.5)
    expect(usableCpus(files, 8)).toBe(1)
  })
})

describe('no cgroup information', () => {
  it('no /proc/self/cgroup (not Linux, or no procfs): the affinity count', () => {
    expect(usableCpus(root({}), 3)).toBe(3)
  })
})
