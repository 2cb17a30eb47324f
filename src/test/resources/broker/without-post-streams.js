// Preloaded with `node -r` in front of the snyk-broker server (SnykBroker.olderServer): the server then identifies
// itself without the `receive-post-streams` capability, as servers did before POST streaming existed, so that a
// client must answer with legacy `chunk` events (broker-protocol.md §3.3, §3.6). Nothing else changes: the server
// still consumes `chunk` events and POSTs to /response-data alike.
//
// primus-emitter's Emitter class is made by a factory (lib/emitter.js); the factory's Emitter gets a `send` that
// drops the capability from every outgoing `identify` event.
'use strict';
const Module = require('module');
const path = require('path');

const CAPABILITY = 'receive-post-streams';
const FACTORY = path.join('primus-emitter', 'lib', 'emitter.js');
const originalLoad = Module._load;
const wrapped = new WeakMap();

function withoutCapability(factory) {
  return function emitterWithoutPostStreams(...args) {
    const Emitter = factory.apply(this, args);
    const send = Emitter.prototype.send;
    Emitter.prototype.send = function sendWithoutPostStreams(event, data, ...rest) {
      if (event === 'identify' && data && Array.isArray(data.capabilities)) {
        data = { ...data, capabilities: data.capabilities.filter((c) => c !== CAPABILITY) };
      }
      return send.call(this, event, data, ...rest);
    };
    return Emitter;
  };
}

Module._load = function load(request, parent, isMain) {
  const exported = originalLoad.apply(this, arguments);
  if (typeof exported !== 'function') {
    return exported;
  }
  let filename;
  try {
    filename = Module._resolveFilename(request, parent, isMain);
  } catch (e) {
    return exported;
  }
  if (!filename.endsWith(FACTORY)) {
    return exported;
  }
  if (!wrapped.has(exported)) {
    wrapped.set(exported, withoutCapability(exported));
  }
  return wrapped.get(exported);
};
