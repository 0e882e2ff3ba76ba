/** The HTTP ceiling for the ingest benchmark: express parses JSON and answers 202, nothing else. */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb', type: () => true }));
app.post('/v1/events', (req, res) => {
  const body: unknown = req.body;
  res.status(202).json({ accepted: Array.isArray(body) ? body.length : 1 });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
