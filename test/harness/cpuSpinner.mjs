// One busy core for `npm run test:loaded`: spins until its deadline (epoch ms, argv[2]) or until
// the process that started it is gone, whichever comes first, so it can never outlive the run.
const deadline = Number(process.argv[2]);
const parent = process.ppid;
if (!Number.isFinite(deadline)) {
  console.error('usage: cpuSpinner.mjs <deadline in epoch ms>');
  process.exit(2);
}

function spin() {
  // 50 ms of arithmetic, then a turn of the event loop so a signal can end the process at once.
  const until = Date.now() + 50;
  let x = 0;
  while (Date.now() < until) x = (x * 1103515245 + 12345) % 2147483647;
  // An orphan is adopted by another process (often pid 1): its starter died without stopping it.
  if (Date.now() >= deadline || process.ppid !== parent) process.exit(0);
  setImmediate(spin);
}
spin();
