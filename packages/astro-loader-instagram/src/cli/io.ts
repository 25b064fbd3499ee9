/** What a command may touch; main() wires it to the process, tests could wire it elsewhere. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
}

export const out = (io: CliIo, line = '') => io.stdout.write(`${line}\n`);
export const say = (io: CliIo, line = '') => io.stderr.write(`${line}\n`);
