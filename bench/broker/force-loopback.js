// Preloaded with `node -r` in front of snyk-broker (broker-protocol.md §10.2): the broker listens on all
// interfaces and has no bind option, so every listen() that names only a port gets host 127.0.0.1.
'use strict';
const net = require('net');
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  const first = args[0];
  const portOnly = /^\d+$/.test(String(first)) && (args.length === 1 || typeof args[1] === 'function');
  if (portOnly) {
    args.splice(1, 0, '127.0.0.1');
  } else if (first && typeof first === 'object' && first.port !== undefined && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return originalListen.apply(this, args);
};
