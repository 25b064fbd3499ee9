import { createInterface } from 'node:readline';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';

/** Lines typed or piped on stdin, one at a time. */
export class LineReader {
  private iterator: AsyncIterator<string> | undefined;
  private rl: ReturnType<typeof createInterface> | undefined;
  constructor(private readonly io: CliIo) {}

  async next(): Promise<string | undefined> {
    if (!this.rl) {
      this.rl = createInterface({ input: this.io.stdin, crlfDelay: Infinity, terminal: false });
      this.iterator = this.rl[Symbol.asyncIterator]();
    }
    const result = await this.iterator!.next();
    return result.done ? undefined : result.value;
  }

  close(): void {
    this.rl?.close();
  }
}

/**
 * Asks for a secret without echoing it. On a terminal, keys are read raw; piped input is read as
 * one line (so a secret manager can feed it).
 */
export async function promptSecret(io: CliIo, question: string, lines: LineReader): Promise<string> {
  io.stderr.write(question);
  const { stdin } = io;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    const line = await lines.next();
    io.stderr.write('\n');
    return (line ?? '').trim();
  }
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer | string) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            return resolve(value.trim());
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            return reject(new CliError('Cancelled.', '', 130));
          }
          if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
          else if (char >= ' ') value += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    io.stderr.write('\n');
  }
}
