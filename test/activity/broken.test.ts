import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildSyntheticStore } from '../../scripts/synthetic.js';
import { activityServer, get, settle } from './support.js';

// A page of a thousand records in MODS, about 8 MB: more than loopback's socket buffers hold, so a
// client that reads none of it keeps the response from finishing until it hangs up.
const server = await activityServer(
  { OAI_PAGE_SIZE_RECORDS: '1000' },
  { prepare: (config) => buildSyntheticStore(config.databasePath, 1000, 58, config) },
);

/** Asks for a page, reads nothing of it, and closes the connection while the server is still writing. */
async function hangUpMidResponse(port: number, query: string, userAgent: string): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.pause();
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET /oai?${query} HTTP/1.1\r\nHost: x\r\nUser-Agent: ${userAgent}\r\n\r\n`);
  await new Promise((r) => setTimeout(r, 300));
  socket.destroy();
}

describe('a connection the client closes mid-response', () => {
  it('counts as broken, sends no records, and moves no harvest on', async () => {
    const port = Number(new URL(server.url).port);
    await hangUpMidResponse(port, 'verb=ListRecords&metadataPrefix=mods', 'hangs-up/1');
    await settle(server.activity, () => server.activity.report(1).totals.requests === 1);
    const h = server.activity.report(1).harvesters[0];
    expect(h).toMatchObject({ userAgent: 'hangs-up/1', network: '127.0.0.0/24', requests: 1, broken: 1, records: 0, formats: [{ prefix: 'mods', requests: 1 }] });
    expect(h?.harvests.started).toBe(0);

    // The server goes on: a whole page afterwards is counted as sent.
    const whole = await get(`${server.url}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc`, { 'User-Agent': 'hangs-up/1' });
    expect(whole.status).toBe(200);
    expect(whole.text.match(/<header>/g)?.length).toBe(250);
    await settle(server.activity, () => server.activity.report(1).totals.requests === 2);
    expect(server.activity.report(1).harvesters[0]).toMatchObject({ requests: 2, broken: 1, headers: 250 });
    const page = await get(`${server.url}/activity`);
    expect(page.text).toContain('1 broken off by the client');
  });
});
