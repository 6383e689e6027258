import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { PRIVATE_FILE } from '../../servers/shared/datadir.js';
import type { LogLine, ServerName } from './contract.js';

const MAX_LINE = 4096;
const MAX_PARTIAL = 64 * 1024;

/**
 * One server's log: a bounded ring in memory for the UI, and a rotating file on disk
 * (logs/<server>.log, 1 MB each, 5 kept). A child that floods stderr costs neither unbounded
 * memory nor a blocked pipe: the ring overwrites, and lines are dropped (and counted) while the
 * file stream is backed up.
 */
export class ServerLog {
  private readonly ring: LogLine[] = [];
  private partial = '';
  private dropped = 0;
  private readonly file: RotatingFileStream | undefined;
  private static seq = 0;

  constructor(
    readonly server: ServerName,
    logsDir: string | undefined,
    private readonly capacity = 2000,
    private readonly onLine: (line: LogLine) => void = () => {},
  ) {
    if (logsDir) {
      this.file = createStream(`${server}.log`, { path: logsDir, size: '1M', maxFiles: 5, mode: PRIVATE_FILE });
      this.file.on('error', () => {
        /* a log file we cannot write must never take the host down */
      });
    }
  }

  /** Feed raw stderr bytes; complete lines are recorded. */
  write(chunk: string): void {
    this.partial += chunk;
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) !== -1) {
      this.push(this.partial.slice(0, nl).replace(/\r$/, ''), 'stderr');
      this.partial = this.partial.slice(nl + 1);
    }
    if (this.partial.length > MAX_PARTIAL) {
      this.push(this.partial, 'stderr');
      this.partial = '';
    }
  }

  host(text: string): void {
    this.push(text, 'host');
  }

  private push(text: string, stream: LogLine['stream']): void {
    const line: LogLine = {
      seq: ++ServerLog.seq,
      server: this.server,
      at: new Date().toISOString(),
      stream,
      text: text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}… (${text.length - MAX_LINE} more characters)` : text,
    };
    this.ring.push(line);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    if (this.file) {
      if (this.file.writableNeedDrain) {
        this.dropped++;
      } else {
        if (this.dropped) {
          this.file.write(`${line.at} [host] ${this.dropped} lines were not written to this file (too fast)\n`);
          this.dropped = 0;
        }
        this.file.write(`${line.at} [${stream}] ${line.text}\n`);
      }
    }
    this.onLine(line);
  }

  lines(limit = this.capacity): LogLine[] {
    return this.ring.slice(-limit);
  }

  get size(): number {
    return this.ring.length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.file ? this.file.end(() => resolve()) : resolve()));
  }
}
