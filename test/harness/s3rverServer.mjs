// Child process that runs s3rver (the embedded S3 server) on loopback and prints its address as
// one JSON line. Run with NODE_OPTIONS=--openssl-legacy-provider: s3rver signs continuation tokens
// with DES, which OpenSSL 3 only offers through the legacy provider. Exits when its parent does.
import S3rver from 's3rver';

const [directory, portText = '0', parentPid = String(process.ppid), bucketList = ''] = process.argv.slice(2);
// Buckets named on the command line exist from the start (s3rver creates them if missing).
const configureBuckets = bucketList.split(',').filter(Boolean).map((name) => ({ name }));
const server = new S3rver({ address: '127.0.0.1', port: Number(portText), directory, silent: true, configureBuckets });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${port}`, pid: process.pid })}\n`);
// An orphaned server would keep the port and the folder busy: follow the parent out.
setInterval(() => {
  try {
    process.kill(Number(parentPid), 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)));
