// Node's http module for bench/http/run.sh: GET / returns "OK". Usage: node http_node.js PORT
const http = require('http');
const port = Number(process.argv[2]);
http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
  res.end('OK');
}).listen(port, '127.0.0.1', 511, () => console.log(`listening on ${port}`));
