// The SMS channel a server runs with: the carrier's SMS centre when configured, otherwise one started in-process on
// loopback (demo and development), so the sign-in code flow works out of the box and its messages can be read.
import { randomBytes } from 'node:crypto';
import type { SmppConfig } from '../../config.ts';
import { LocalSmsc, type ReceivedSms } from './local-smsc.ts';
import { SmppSender, type SmppSettings } from './smpp-sender.ts';

export interface SmsChannel {
  sender: SmppSender;
  /** The in-process SMS centre, when no carrier is configured. */
  local: LocalSmsc | null;
  /** How to reach that SMS centre (the SMS module's gateway binds there too). */
  settings: SmppSettings;
  close(): Promise<void>;
}

const LOCAL_SYSTEM_ID = 'govcloud';

export async function openSmsChannel(carrier: SmppConfig | undefined, onLocalMessage: (message: ReceivedSms) => void = () => undefined): Promise<SmsChannel> {
  if (carrier) {
    const sender = new SmppSender(carrier);
    return { sender, local: null, settings: carrier, close: () => sender.close() };
  }
  const password = randomBytes(6).toString('base64url'); // 8 characters, the SMPP 3.4 maximum
  const local = await LocalSmsc.start({ host: '127.0.0.1', port: 0, systemId: LOCAL_SYSTEM_ID, password, onMessage: onLocalMessage });
  const settings = { host: '127.0.0.1', port: local.port, systemId: LOCAL_SYSTEM_ID, password, sourceAddr: '10690000' };
  const sender = new SmppSender(settings);
  return {
    sender,
    local,
    settings,
    async close() {
      await sender.close();
      await local.close();
    },
  };
}
