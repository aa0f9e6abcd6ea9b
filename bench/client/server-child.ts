/**
 * The server of the client comparisons, in a process of its own (started by bench/harness/child.ts), so
 * that it never shares an event loop with the harness or a reader: it answers every request with the
 * bench stream named by its argument (`deltas <count>` or `calls <calls> <deltas per call>`), written in
 * 64 KiB pieces as a server producing tokens would, rather than one giant write.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serveCalls } from "../harness/child.js";
import { buildBenchStream, buildCallsStream } from "./stream.js";

const [kind, first, second] = process.argv.slice(2);
const stream =
  kind === "calls" ? buildCallsStream(Number(first), Number(second)) : buildBenchStream(Number(first));
const body = stream.body;

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_bench" });
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const end = Math.min(offset + 65_536, body.length);
        const ok = res.write(body.subarray(offset, end));
        offset = end;
        if (!ok) {
          res.once("drain", writeMore);
          return;
        }
      }
      res.end();
    };
    writeMore();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
serveCalls((server.address() as AddressInfo).port);
