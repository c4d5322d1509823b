// The baseline: a Bolt app that verifies signatures and acknowledges commands, clicks and
// submissions, nothing more.
import { createServer } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events' });
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/access', async ({ ack }) => {
  await ack();
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});
app.view(/.*/, async ({ ack }) => {
  await ack();
});

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200).end('{}');
    return;
  }
  receiver.requestListener(req, res);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
