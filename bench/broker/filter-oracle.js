// Runs a request corpus through snyk-broker's own filter, substitution and header preparation
// (the real npm package), offline, and writes one decision per case as JSON (see FilterParityTest).
//
//   node filter-oracle.js <snyk-broker dir> <corpus.json> <custom accept dir> <out.json>
//
// The CRA rules are snyk's shipped template (client-templates/container-registry-agent/accept.json.sample);
// custom accept sets come inline from the corpus. Filters are loaded as the classic client loads them
// (loadAllFilters with a non-universal config). Output goes to a file: the broker's logger writes to stdout.
'use strict';
const fs = require('fs');
const path = require('path');

const [brokerDir, corpusPath, outPath] = process.argv.slice(2);
const dist = path.join(brokerDir, 'node_modules/snyk-broker/dist');
const { loadAllFilters } = require(path.join(dist, 'lib/hybrid-sdk/common/filter/filtersAsync'));
const { getInterpolatedRequest } = require(path.join(dist, 'lib/hybrid-sdk/interpolateRequestWithConfigData'));
const { prepareRequest } = require(path.join(dist, 'lib/broker-workload/prepareRequest'));
const version = require(path.join(dist, 'lib/hybrid-sdk/common/utils/version')).default;

const corpus = JSON.parse(fs.readFileSync(corpusPath, 'utf8'));
const env = corpus.env;

const acceptSets = {};
for (const [name, source] of Object.entries(corpus.accept)) {
  const rules = source === 'snyk-cra-template'
    ? JSON.parse(fs.readFileSync(path.join(dist, 'client-templates/container-registry-agent/accept.json.sample'), 'utf8'))
    : source;
  acceptSets[name] = { rules, loaded: loadAllFilters(rules, { ...env, brokerType: 'client' }) };
}

function ruleIndex(list, matched) {
  const { connectionType, ...entry } = matched;
  const wanted = JSON.stringify(entry);
  return list.findIndex((rule) => JSON.stringify(rule) === wanted);
}

async function run() {
  const results = [];
  for (const c of corpus.cases) {
    const set = acceptSets[c.accept];
    const list = c.list || 'private';
    const bodyText = c.json !== undefined ? JSON.stringify(c.json) : c.body;
    const payload = {
      url: c.url,
      method: c.method,
      headers: { ...(c.headers || {}) },
      requestId: '00000000-0000-4000-8000-000000000001',
    };
    if (bodyText !== undefined) payload.body = Buffer.from(bodyText, 'utf8');
    const matched = set.loaded[list](payload);
    const result = { id: c.id, bodyText: bodyText === undefined ? null : bodyText, allowed: !!matched };
    if (matched) {
      result.index = ruleIndex(set.rules[list], matched);
      if (list === 'private' && !c.noSubstitution) {
        try {
          const interpolated = getInterpolatedRequest(null, matched, payload, {}, env, 'downstream');
          result.origin = interpolated.url.slice(0, interpolated.url.length - payload.url.length);
          result.auth = interpolated.auth === undefined ? null : interpolated.auth;
          const prepared = await prepareRequest(interpolated, payload, {}, { config: {} }, undefined, 'client');
          // The last three header steps live in makeRequestToDownstream (hybrid-sdk/http/request.js).
          const headers = prepared.req.headers;
          headers['snyk-request-id'] = prepared.req.requestId;
          headers['x-broker-origin-ua'] = headers['user-agent'] ?? 'not-provided';
          headers['user-agent'] = `Snyk Broker Client ${version}`;
          const lower = {};
          for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v);
          result.prepared = {
            url: prepared.req.url,
            headers: lower,
            body: prepared.req.body === undefined ? null : Buffer.from(prepared.req.body).toString('utf8'),
          };
        } catch (e) {
          result.substitutionError = String(e && e.message);
        }
      }
    }
    results.push(result);
  }
  fs.writeFileSync(outPath, JSON.stringify({ version, results }, null, 1));
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
