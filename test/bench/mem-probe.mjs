// Preloaded into an astro build by `npm run bench -- --mem` (node --import): samples
// process.memoryUsage() every 50 ms and prints the peaks (MiB) at exit, with the time of the RSS peak,
// so a high peak RSS can be told apart into JS heap, Buffers (external) and native memory (libvips, malloc).
const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
let rssPeakAt = new Date();
let atRssPeak = {};
const sample = () => {
  const usage = process.memoryUsage();
  if (usage.rss > peak.rss) {
    rssPeakAt = new Date();
    atRssPeak = usage;
  }
  for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], usage[key]);
};
setInterval(sample, 50).unref();
// BENCH_MEM_TRACE=1: also a timeline, one line every 500 ms.
if (process.env.BENCH_MEM_TRACE) {
  setInterval(() => {
    const { rss, heapUsed, external } = mib(process.memoryUsage());
    process.stderr.write(`[bench-mem-trace] ${new Date().toTimeString().slice(0, 8)} rss ${rss} heap ${heapUsed} external ${external}\n`);
  }, 500).unref();
}
function mib(record) {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Math.round(value / 2 ** 20)]));
}
process.on('exit', () => {
  sample();
  process.stderr.write(
    `[bench-mem] ${JSON.stringify({ peak: mib(peak), atRssPeak: mib(atRssPeak), rssPeakAt: rssPeakAt.toTimeString().slice(0, 8) })}\n`,
  );
});
