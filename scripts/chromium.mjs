// How this repository launches the system's Chromium headless (browser tests, end-to-end tests, screenshots).

/** Debian's Chromium, unless CHROMIUM_PATH says where another one is. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without these flags Chromium keeps dialling out to Google's services, which a closed network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
