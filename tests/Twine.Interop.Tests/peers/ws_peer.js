// WebSocket interop peer on Node's ws: `node ws_peer.js server [deflate|deflate10|plain]` (echo server, prints "PORT n";
// deflate10 compresses with a 10-bit window and answers server_max_window_bits=10) or
// `node ws_peer.js client URL SIZE... [--deflate]` (sends a binary and a text message of each size, checks each echo,
// closes with 1000, prints "OK count" and "CLOSE code").
const WebSocket = require('ws');   // found through NODE_PATH, which the tests point at tests/Twine.Interop.Tests/node
const crypto = require('crypto');

const args = process.argv.slice(2);
const deflate = args.includes('deflate') || args.includes('--deflate');
const deflate10 = args.includes('deflate10');
const rest = args.filter(a => !['deflate', 'deflate10', 'plain', '--deflate'].includes(a));

// A message over 64 KiB goes as three fragments: a text message's byte buffer is cut anywhere, even inside a
// character, which the receiver must accept (UTF-8 is checked across fragments).
function sendPieces(ws, data, isBinary) {
  if (data.length <= 65536) { ws.send(data, { binary: isBinary }); return; }
  const third = Math.floor(data.length / 3);
  const parts = [data.slice(0, third), data.slice(third, 2 * third), data.slice(2 * third)];
  parts.forEach((part, i) => ws.send(part, { binary: isBinary, fin: i === 2 }));
}

function payloads(size) {
  const data = Buffer.concat([crypto.randomBytes(Math.floor(size / 2)), Buffer.alloc(size - Math.floor(size / 2))]);
  const text = Buffer.from('twine-\u00e9\u20ac-'.repeat(Math.floor(size / 10) + 1)).subarray(0, size).toString('utf8').replace(/\uFFFD/g, '');
  return [data, text];
}

if (rest[0] === 'server') {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate10 ? { serverMaxWindowBits: 10 } : deflate, maxPayload: 0 }, () => {
    console.log('PORT ' + wss.address().port);
  });
  wss.on('connection', ws => ws.on('message', (data, isBinary) => sendPieces(ws, data, isBinary)));
} else {
  const url = rest[1];
  const sizes = rest.slice(2).map(Number);
  const queue = [];
  for (const size of sizes) {
    const [data, text] = payloads(size);
    queue.push([data, true], [text, false]);
  }
  const ws = new WebSocket(url, { perMessageDeflate: deflate, maxPayload: 0 });
  let count = 0;
  let expect;
  const next = () => {
    if (queue.length === 0) { ws.close(1000, 'done'); return; }
    expect = queue.shift();
    sendPieces(ws, expect[1] ? expect[0] : Buffer.from(expect[0], 'utf8'), expect[1]);
  };
  ws.on('open', next);
  ws.on('message', (data, isBinary) => {
    const same = isBinary === expect[1] && (isBinary ? Buffer.compare(data, expect[0]) === 0 : data.toString('utf8') === expect[0]);
    if (!same) { console.log('MISMATCH'); ws.close(1000, 'mismatch'); return; }
    count++;
    next();
  });
  ws.on('close', code => { console.log('OK ' + count); console.log('CLOSE ' + code); });
  ws.on('error', e => { console.log('ERROR ' + e.message); process.exit(1); });
}
