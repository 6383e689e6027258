import fs from 'node:fs';

/**
 * A file's bytes, only when it is a regular file: a FIFO, a socket or a device where a config file
 * should be is refused at once instead of read (opening a FIFO for reading waits for a writer for
 * ever, and no signal ends that wait). Opened non-blocking, checked before anything is read.
 */
export function readRegularFile(file: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : st.isDirectory() ? 'a folder' : 'a device';
      throw Object.assign(new Error(`it is ${kind}, not a file`), { code: 'ENOTREGULAR' });
    }
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
