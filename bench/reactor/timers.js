// Node's side of the timers benchmark: schedule N timers with random delays in [0, 1000] ms, cancel every other one,
// run until the rest have fired. Prints one key=value line (see run.sh).
'use strict';
const fs = require('fs');

const N = Number(process.argv[2] || 1000000);
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

function peakRssMb() {
  const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.floor(Number(m[1]) / 1024) : -1;
}

const target = N - Math.floor(N / 2);
let fired = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const done = () => {
  const wallMs = Number((process.hrtime.bigint() - t0) / 1000000n);
  const cpu = process.cpuUsage(cpu0);
  console.log(`name=node-${process.version} timers=${N} fired=${fired} wall_ms=${wallMs} ` +
    `cpu_ms=${Math.round((cpu.user + cpu.system) / 1000)} peak_rss_mb=${peakRssMb()}`);
};
const fire = () => { if (++fired === target) done(); };

let timers = new Array(N);
for (let i = 0; i < N; i++) timers[i] = setTimeout(fire, Math.floor(random() * 1001));
for (let i = 0; i < N; i += 2) clearTimeout(timers[i]);
timers = null;
