// Load for bench/tls/run.sh, in Node (its TLS is OpenSSL, like every server's). Usage:
//   node tls_client.js echo PORT CONNS SECONDS       each connection keeps one 1 KiB message in flight (ping-pong)
//   node tls_client.js handshake PORT CONNS SECONDS  each of CONNS loops: connect, full handshake (no resumption), close
// Prints "COUNT" (round trips or handshakes completed in the window) on stdout. Certificates are not verified: the
// cost measured is the server's, and every server gets the same client.
const tls = require('tls');
const [mode, port, conns, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const message = Buffer.alloc(1024, 0x61);
let count = 0;
let running = true;
const options = { host: '127.0.0.1', port, rejectUnauthorized: false, session: undefined };

function fail(e) { console.error(`tls_client: ${e.message}`); process.exit(1); }

function echoConnection() {
  const socket = tls.connect(options, () => { socket.setNoDelay(true); socket.write(message); });
  let got = 0;
  socket.on('data', (data) => {
    got += data.length;
    while (got >= message.length) {
      got -= message.length;
      count++;
      if (running) socket.write(message); else { socket.destroy(); return; }
    }
  });
  socket.on('error', (e) => { if (running) fail(e); });
}

function handshakeLoop() {
  if (!running) return;
  // No `session` option is given, so Node never resumes: each connection is a full handshake.
  const socket = tls.connect(options, () => {
    count++;
    socket.destroy();
    handshakeLoop();
  });
  socket.on('error', (e) => { if (running) fail(e); });
}

for (let i = 0; i < conns; i++) (mode === 'echo' ? echoConnection : handshakeLoop)();
setTimeout(() => { running = false; console.log(count); process.exit(0); }, seconds * 1000);
