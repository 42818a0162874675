// Preloaded (NODE_OPTIONS=--require) into code-server and every Node process it starts, including the extension
// host where LIM Lens runs. Records each DNS look-up of, or TCP/TLS connection to, a host that is not loopback,
// one JSON line per (process, host) in $LIM_NET_GUARD_LOG; the test runner fails the run if the file has any.
// It only observes: requests still go out (and fail on a machine without internet), so behaviour is unchanged.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload (node --require) */
'use strict';

const logFile = process.env.LIM_NET_GUARD_LOG;
if (logFile) {
  const fs = require('node:fs');
  const net = require('node:net');
  const dns = require('node:dns');

  const LOOPBACK = /^(localhost|.*\.localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3}|0\.0\.0\.0|::)$/i;
  const proc = `${process.pid} ${(process.argv[1] || process.argv0).split('/').slice(-3).join('/')}`;
  const seen = new Set();
  // Proof that the guard is loaded in this process (the runner checks the extension host is among them).
  try {
    fs.appendFileSync(`${logFile}.processes`, `${process.pid} ${process.argv.slice(1).join(' ').slice(0, 300)}\n`);
  } catch {
    // never break the process being watched
  }

  const record = (what, host) => {
    if (typeof host !== 'string' || host === '' || LOOPBACK.test(host)) return;
    const key = `${what} ${host}`;
    if (seen.has(key)) return;
    seen.add(key);
    const stack = (new Error().stack || '').split('\n').slice(3, 9).map((s) => s.trim()).join(' | ');
    try {
      fs.appendFileSync(logFile, `${JSON.stringify({ what, host, process: proc, stack })}\n`);
    } catch {
      // never break the process being watched
    }
  };

  const wrapLookup = (obj, name, label) => {
    const orig = obj[name];
    if (typeof orig !== 'function') return;
    obj[name] = function (hostname, ...rest) {
      record(label, hostname);
      return orig.call(this, hostname, ...rest);
    };
  };
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname']) {
    wrapLookup(dns, name, `dns.${name}`);
    wrapLookup(dns.promises, name, `dns.promises.${name}`);
  }

  const origConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    // connect(options[, cb]) | connect(port[, host][, cb]) | connect(path[, cb]) | internal [options, cb] array
    let first = args[0];
    if (Array.isArray(first)) first = first[0];
    if (first && typeof first === 'object') {
      if (first.path === undefined) record('connect', first.host === undefined ? 'localhost' : String(first.host));
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      record('connect', typeof args[1] === 'string' ? args[1] : 'localhost');
    }
    return origConnect.apply(this, args);
  };
}
