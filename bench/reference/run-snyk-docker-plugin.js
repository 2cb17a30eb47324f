#!/usr/bin/env node
// Reference runner (scanning.md §12): node run-snyk-docker-plugin.js <target> <out.json> [options JSON]
// Calls scan({path: target, ...options}) of snyk-docker-plugin and writes the PluginResponse as JSON.
// The package is resolved from $CR_AGENT_REFERENCE_DIR, else this file's directory (the installed copy),
// else ~/.cache/cr-agent/snyk-docker-plugin-9.20.2 (see scripts/install-reference-scanner.sh).
"use strict";
const fs = require("fs"), path = require("path"), os = require("os");
const [target, out, optionsJson] = process.argv.slice(2);
if (!target || !out) { console.error("usage: run-snyk-docker-plugin.js <target> <out.json> [options JSON]"); process.exit(2); }
const dirs = [process.env.CR_AGENT_REFERENCE_DIR, __dirname,
  path.join(os.homedir(), ".cache/cr-agent/snyk-docker-plugin-9.20.2")].filter(Boolean);
const plugin = require(require.resolve("snyk-docker-plugin", { paths: dirs }));
// CR_AGENT_REFERENCE_REPEAT=N scans N times in this one process (a long-running service's case: warm code) and
// reports each scan's time on stderr as "scan-seconds <i> <s>"; the last response is written.
const repeat = Math.max(1, parseInt(process.env.CR_AGENT_REFERENCE_REPEAT || "1", 10));
const options = { path: target, ...(optionsJson ? JSON.parse(optionsJson) : {}) };
(async () => {
  let result;
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    result = await plugin.scan(options);
    if (repeat > 1) console.error(`scan-seconds ${i} ${Number(process.hrtime.bigint() - start) / 1e9}`);
  }
  const json = JSON.stringify(result);
  fs.writeFileSync(out, json);
  for (const r of JSON.parse(json).scanResults || []) {
    const g = (r.facts.find((f) => f.type === "depGraph") || {}).data;
    console.error(`${r.identity.type}:${r.identity.targetFile || "os"} pkgs=${g ? g.pkgs.length - 1 : "-"}`
      + ` facts=${r.facts.map((f) => f.type).join(",")}`);
  }
  process.exit(0);
})().catch((err) => { console.error("scan failed:", err && err.stack ? err.stack : err); process.exit(1); });
