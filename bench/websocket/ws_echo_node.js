// Node's ws echo server for bench/websocket/run.sh (NODE_PATH points at the ws install); prints "PORT n".
const WebSocket = require('ws');
const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1 << 20 }, () => {
  console.log('PORT ' + wss.address().port);
});
wss.on('connection', ws => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
