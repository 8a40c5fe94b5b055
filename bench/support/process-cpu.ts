import { readFileSync } from "node:fs";

/** Linux reports CPU time in clock ticks of 10 ms (USER_HZ is 100 on every mainstream kernel). */
const MS_PER_TICK = 10;

/** CPU time (user + system, all threads) a process has used so far, in ms, from /proc (Linux). */
export function cpuMs(pid: number): number {
  // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}
