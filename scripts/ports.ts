// Whether a local port is taken: the demo checks before it starts, its test after it stops.
import { connect } from "node:net";

/** Whether something already accepts connections on localhost:port (IPv4 or IPv6). */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "localhost", port, autoSelectFamily: true });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
