import { readdirSync, readFileSync } from "node:fs";

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** Samples a process's RSS until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 20): { stop(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid));
    },
  };
}

/** `rootPid` and the processes under it (any depth) whose command name is one of `names`. */
function descendantsNamed(rootPid: number, names: readonly string[]): number[] {
  const parents = new Map<number, { ppid: number; comm: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      parents.set(Number(entry), { comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(stat.slice(close + 2).split(" ")[1]) });
    } catch {
      // Gone since the listing.
    }
  }
  const under = (pid: number): boolean => {
    if (pid === rootPid) return true;
    for (let at = parents.get(pid)?.ppid; at && at > 1; at = parents.get(at)?.ppid) if (at === rootPid) return true;
    return false;
  };
  return [...parents].filter(([pid, info]) => names.includes(info.comm) && under(pid)).map(([pid]) => pid);
}

/**
 * Samples the largest RSS any single `names` process at or under `rootPid` reaches until
 * stopped (e.g. each ffmpeg a server runs); processes may come and go meanwhile.
 */
export function sampleDescendantRss(rootPid: number, names: readonly string[], everyMs = 20): { stop(): number } {
  let peak = 0;
  const sample = () => {
    for (const pid of descendantsNamed(rootPid, names)) {
      try {
        peak = Math.max(peak, rssBytes(pid));
      } catch {
        // It ended between the listing and the read.
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
