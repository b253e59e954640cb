import net from 'node:net';

import { assertPortFree, findFreePort } from '../../../server/src/net/ports';
import { ServerError } from '../../../server/src/serverError';

describe('ports', () => {
  it('finds a port that can then be bound', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    await expect(assertPortFree(port, 'test', 'TEST_PORT')).resolves.toBeUndefined();
  });

  it('names the port, its user and the setting when the port is taken', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const error = await assertPortFree(port, 'Orthanc (HTTP)', 'MEDSAM_ORTHANC_HTTP_PORT').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServerError);
      expect((error as ServerError).code).toBe('port-in-use');
      expect((error as ServerError).message).toBe(
        `Port ${port} on 127.0.0.1 is already in use: Orthanc (HTTP) needs it. ` +
          'Stop the program that holds it or choose another port with MEDSAM_ORTHANC_HTTP_PORT.',
      );
      // Orthanc binds every interface: a loopback listener blocks it too.
      await expect(assertPortFree(port, 'x', 'Y', '0.0.0.0')).rejects.toThrow(/already in use/);
    } finally {
      holder.close();
    }
  });
});
