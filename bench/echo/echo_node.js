// Node echo server (net module), for bench/echo/run.sh. Usage: node echo_node.js PORT
'use strict';
const net = require('net');

const port = Number(process.argv[2]);
const server = net.createServer((socket) => {
  // Every server in the comparison turns Nagle off, so none of them can stall on a delayed ACK.
  socket.setNoDelay(true);
  socket.on('data', (chunk) => socket.write(chunk));
  // A peer that resets its connection must not crash the server (an unhandled 'error' event would).
  socket.on('error', () => {});
});
server.listen({ port, host: '127.0.0.1', backlog: 511 });
process.on('SIGTERM', () => process.exit(0));
