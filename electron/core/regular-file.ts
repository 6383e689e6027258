import fs from 'node:fs';

/**
 * Opens a file for reading only when it is a regular file: a FIFO, a socket or a device where a
 * config file or a log should be is refused at once (opening a FIFO for reading waits for a writer
 * for ever, and no signal ends that wait). Opened non-blocking, checked before anything is read.
 * The caller closes the descriptor.
 */
export function openRegularFile(file: string): { fd: number; size: number } {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  const st = fs.fstatSync(fd);
  if (st.isFile()) return { fd, size: st.size };
  fs.closeSync(fd);
  const kind = st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : st.isDirectory() ? 'a folder' : 'a device';
  throw Object.assign(new Error(`it is ${kind}, not a file`), { code: 'ENOTREGULAR' });
}

/** A regular file's bytes (openRegularFile). */
export function readRegularFile(file: string): Buffer {
  const { fd } = openRegularFile(file);
  try {
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
