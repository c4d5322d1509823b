/**
 * Shares a file in someone's DM with the app, the way files.uploadV2 does it, step by step:
 * conversations.open for the DM's id, files.getUploadURLExternal, the bytes POSTed to the URL
 * Slack gave (streamed from disk, never held whole in memory), then files.completeUploadExternal
 * into the DM. A failed step throws; the outbox dispatcher retries the whole delivery, and Slack
 * shares nothing until the last step, so a retry leaves one file in the DM.
 */
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { WebAPICallResult, WebClient } from '@slack/web-api';

/** An upload URL that takes longer than this to answer is abandoned, and the delivery retried. */
const UPLOAD_TIMEOUT_MS = 60_000;

export interface FileToShare {
  path: string;
  filename: string;
  title: string;
  bytes: number;
}

/** Slack's answer to the bytes was not 200: retried like any failed delivery. */
export class UploadFailed extends Error {}

/** POSTs the file's bytes, as they are read, to the upload URL. */
function postBytes(uploadUrl: string, file: FileToShare): Promise<void> {
  const url = new URL(uploadUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return Promise.reject(new UploadFailed(`Slack gave an upload URL Gatehouse cannot use (${url.protocol}).`));
  }
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': file.bytes },
    });
    request.setTimeout(UPLOAD_TIMEOUT_MS, () =>
      request.destroy(new UploadFailed(`The upload URL did not answer within ${UPLOAD_TIMEOUT_MS / 1000} s.`)),
    );
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status === 200) resolve();
        else reject(new UploadFailed(`The upload URL answered ${status}.`));
      });
    });
    const bytes = createReadStream(file.path);
    bytes.on('error', (error) => request.destroy(error));
    bytes.pipe(request);
  });
}

/** Shares the file in the person's DM with `comment`; the DM's channel id and the file's id. */
export async function shareFileInDm(
  client: WebClient,
  userId: string,
  file: FileToShare,
  comment: string,
): Promise<{ channel: string; fileId: string }> {
  const opened = (await client.conversations.open({ users: userId })) as WebAPICallResult & { channel?: { id?: string } };
  const channel = opened.channel?.id;
  if (!channel) throw new UploadFailed('Slack opened no DM to share the file in.');
  const grant = (await client.files.getUploadURLExternal({ filename: file.filename, length: file.bytes })) as WebAPICallResult & {
    upload_url?: string;
    file_id?: string;
  };
  if (!grant.upload_url || !grant.file_id) throw new UploadFailed('Slack gave no upload URL.');
  await postBytes(grant.upload_url, file);
  await client.files.completeUploadExternal({
    files: [{ id: grant.file_id, title: file.title }],
    channel_id: channel,
    initial_comment: comment,
  });
  return { channel, fileId: grant.file_id };
}
