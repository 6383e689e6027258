// The Chromium that browser tests, the UI benchmark and the icon renderer drive: Debian's
// /usr/bin/chromium here (CHROMIUM_PATH elsewhere), with the flags this machine needs — no
// sandbox as root, no background network (the machine's closed network refuses it).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
