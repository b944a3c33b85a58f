/**
 * Whether the D-Bus session bus answers its authentication handshake within `timeoutMs`.
 * The keychain library connects to the bus synchronously, on the main thread: a bus that accepts the
 * connection and then says nothing would freeze the whole process. This asks first, without blocking.
 * Resolves true when there is nothing to check (no unix-socket address), leaving that to the library.
 */
export async function sessionBusAnswers(address: string | undefined, timeoutMs: number): Promise<boolean> {
  const first = address?.split(';')[0] ?? '';
  const match = /^unix:(path|abstract)=([^,]+)/.exec(first);
  if (!match) return true;
  // Loaded here: node:net brings Node's stream stack, which a command that never asks the bus should not pay for.
  const net = await import('node:net');
  const socketPath = match[1] === 'abstract' ? `\0${match[2]}` : match[2]!;
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(socketPath);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      const uid = String(process.getuid?.() ?? 0);
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
    });
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (answer.includes('\r\n')) done(/^(OK|REJECTED)/.test(answer));
    });
  });
}
