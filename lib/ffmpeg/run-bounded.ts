import "server-only";
import { spawn } from "node:child_process";

export interface RunLimits {
  /** Wall-clock limit: past it the process and everything it started are killed. */
  timeoutMs: number;
  /** Address-space ceiling (ulimit -v): the run fails instead of growing past it. */
  memoryMb: number;
}

export interface RunOutput {
  stdout: string;
  stderr: string;
  code: number | null;
}

export class RunTimeoutError extends Error {
  constructor(seconds: number) {
    super(`ffmpeg ran past its ${seconds} s limit and was stopped`);
    this.name = "RunTimeoutError";
  }
}

const KEEP_OUTPUT = 64 * 1024;

/**
 * Runs a program in its own process group under a memory ceiling and a wall-clock limit; at the
 * limit the whole group is killed (a wrapper script's children too), so nothing outlives the job.
 */
export function runBounded(binary: string, args: string[], limits: RunLimits, onStdout?: (chunk: string) => void): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    // `exec` keeps one process: the limit applies to the program itself, not to a shell around it.
    const child = spawn("/bin/sh", ["-c", `ulimit -v ${limits.memoryMb * 1024} && exec "$0" "$@"`, binary, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, limits.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      stdout = (stdout + text).slice(-KEEP_OUTPUT);
      onStdout?.(text);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-KEEP_OUTPUT);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new RunTimeoutError(Math.round(limits.timeoutMs / 100) / 10));
      else resolve({ stdout, stderr, code });
    });
  });
}
