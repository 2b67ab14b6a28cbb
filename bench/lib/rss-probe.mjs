// Preloaded with `node --import` to report the Node process's own peak RSS (KiB) on stderr at exit;
// /usr/bin/time -v reports the largest of Node and the git processes it waited for.
process.on('exit', () => {
  process.stderr.write(`\nbench-node-maxrss-kb ${process.resourceUsage().maxRSS}\n`);
});
