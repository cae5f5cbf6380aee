// An external HpcK8s kernel: counts the primes below `limit`, one range of numbers per shard.
// It is a plain HTTP app (no dependencies) that Dapr reaches by service invocation; the contract is in
// docs/kernels.md. Run it next to its sidecar:
//   dapr run --app-id prime-kernel --app-port 5050 -- node examples/kernel-app/server.js
'use strict';
const http = require('http');

const port = Number(process.env.APP_PORT || process.env.PORT || 5050);

function primesIn(from, to) {
  // Segmented sieve over [from, to): small primes up to sqrt(to), then strike their multiples.
  const root = Math.floor(Math.sqrt(to)) + 1;
  const small = new Uint8Array(root + 1).fill(1);
  small[0] = 0; small[1] = 0;
  for (let i = 2; i * i <= root; i++) if (small[i]) for (let j = i * i; j <= root; j += i) small[j] = 0;
  const segment = new Uint8Array(Math.max(0, to - from)).fill(1);
  for (let p = 2; p <= root; p++) {
    if (!small[p]) continue;
    for (let m = Math.max(p * p, Math.ceil(from / p) * p); m < to; m += p) segment[m - from] = 0;
  }
  let count = 0;
  for (let n = Math.max(from, 2); n < to; n++) if (segment[n - from]) count++;
  return count;
}

function shard(job, index) {
  const limit = Number(job.parameters.limit);
  if (!Number.isInteger(limit) || limit < 2 || limit > 1e10) {
    return [400, { error: `spec.parameters.limit: must be an integer between 2 and 10000000000, got '${job.parameters.limit}'` }];
  }
  const from = Math.floor((limit * index) / job.shards);
  const to = Math.floor((limit * (index + 1)) / job.shards);
  // Results merge by HpcK8s's JSON rule: numbers add, arrays concatenate in shard order.
  return [200, { result: { primes: primesIn(from, to), ranges: [`${from}-${to}`] } }];
}

function finish(job, merged) {
  return [200, { value: String(merged.primes), details: { limit: job.parameters.limit, shards: String(merged.ranges.length) } }];
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', chunk => { body += chunk; });
  req.on('end', () => {
    let status = 404, reply = { error: `no method ${req.method} ${req.url}` };
    try {
      const request = body ? JSON.parse(body) : {};
      if (req.method === 'POST' && req.url === '/shard') [status, reply] = shard(request.job, request.shard);
      else if (req.method === 'POST' && req.url === '/shard/finish') [status, reply] = finish(request.job, request.merged);
    } catch (e) {
      status = 400; reply = { error: String(e) };
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply));
  });
});
server.listen(port, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
