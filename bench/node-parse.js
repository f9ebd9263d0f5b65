// Time npm dotenv 16 parse() on a file, in-process: prints milliseconds
// per parse (median of the runs given).
const dotenv = require('dotenv');
const fs = require('fs');
const [file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const src = fs.readFileSync(file);
const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  dotenv.parse(src);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(3));
