#!/usr/bin/env node
// Times a model under ONNX Runtime (CPU) with a fixed thread count, printing the
// same `time:` line as `qcc-run --time N` so the two can be compared directly.
//
//   node ort_time.js MODEL.onnx --input NAME=FILE.npy ... [--input FILE.npy (graph input order)]
//        [--threads T] [--runs N] [--warmup W] [--save-outputs DIR]
'use strict';

const fs = require('fs');
const path = require('path');
const { readNpy, writeNpy } = require('./npy');

function usage(msg) {
  if (msg) console.error(`ort_time: ${msg}`);
  console.error('usage: ort_time.js MODEL.onnx --input [NAME=]FILE.npy ... [--threads T] [--runs N] ' +
    '[--warmup W] [--save-outputs DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { model: null, inputs: [], threads: 1, runs: 10, warmup: 3, saveOutputs: null };
  const intArg = (name, v) => {
    if (!/^\d+$/.test(v || '')) usage(`${name} needs a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--input') opts.inputs.push(next());
    else if (a === '--threads') opts.threads = intArg(a, next());
    else if (a === '--runs') opts.runs = intArg(a, next());
    else if (a === '--warmup') opts.warmup = intArg(a, next());
    else if (a === '--save-outputs') opts.saveOutputs = next();
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (opts.model === null) opts.model = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!opts.model) usage('no model given');
  if (opts.runs < 1) usage('--runs must be at least 1');
  if (opts.threads < 1) usage('--threads must be at least 1');
  return opts;
}

// Maps --input specs to a feeds object; bare FILEs take graph inputs in order.
function loadFeeds(ort, session, specs) {
  const feeds = {};
  let positional = 0;
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    let name, file;
    if (eq > 0 && !fs.existsSync(spec)) {
      [name, file] = [spec.slice(0, eq), spec.slice(eq + 1)];
    } else {
      name = session.inputNames[positional++];
      file = spec;
      if (name === undefined) usage(`more inputs given than the model has (${session.inputNames.length})`);
    }
    if (!session.inputNames.includes(name)) usage(`model has no input '${name}' (inputs: ${session.inputNames.join(', ')})`);
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(t.type, t.data, t.shape);
  }
  const missing = session.inputNames.filter((n) => !(n in feeds));
  if (missing.length) usage(`missing inputs: ${missing.join(', ')}`);
  return feeds;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ort = require('onnxruntime-node');
  const session = await ort.InferenceSession.create(opts.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads,
    // One inter-op thread and sequential execution: only intra-op parallelism, like qcc.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only: warnings would clutter the timing output
  });
  const feeds = loadFeeds(ort, session, opts.inputs);

  let outputs;
  for (let i = 0; i < opts.warmup; i++) outputs = await session.run(feeds);
  const times = [];
  for (let i = 0; i < opts.runs; i++) {
    const t0 = process.hrtime.bigint();
    outputs = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`time: mean_ms=${mean.toFixed(4)} min_ms=${Math.min(...times).toFixed(4)} runs=${opts.runs}`);

  if (opts.saveOutputs) {
    fs.mkdirSync(opts.saveOutputs, { recursive: true });
    // Named after the graph output, with its index so the order is recoverable.
    session.outputNames.forEach((name, i) => {
      const t = outputs[name];
      const file = path.join(opts.saveOutputs, `output_${i}_${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.npy`);
      writeNpy(file, t.type, t.dims, t.data);
    });
  }
}

main().catch((e) => {
  console.error(`ort_time: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
