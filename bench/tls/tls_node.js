// Node's tls echo server for bench/tls/run.sh. Usage: node tls_node.js PORT KEY.pem CERT.pem
const fs = require('fs');
const tls = require('tls');
const [port, key, cert] = process.argv.slice(2);
tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (socket) => {
  socket.setNoDelay(true);
  socket.on('data', (data) => socket.write(data));
  socket.on('error', () => socket.destroy());
}).listen(Number(port), '127.0.0.1', 511, () => console.log(`listening on ${port}`));
