// Opening and closing one SMPP 3.4 bind: shared by the sign-in code sender (transmitter) and the gateway (transceiver).
import smpp from 'smpp';
import type { SmppSettings } from './smpp-sender.ts';
import { SmsError } from './types.ts';

export interface LinkHooks {
  /** The link closed (after the bind or during it). */
  closed(session: smpp.Session): void;
  /** A deliver_sm arrived (receipts, replies); transceiver binds only. */
  deliver?(session: smpp.Session, pdu: smpp.PDU): void;
}

/** Connects and binds; answers the centre's enquire_link and unbind. Fails with sms.timeout / unreachable / bind_refused. */
export function bindSession(settings: SmppSettings, mode: 'transmitter' | 'transceiver', hooks: LinkHooks): Promise<smpp.Session> {
  const { host, port, systemId, password } = settings;
  return new Promise((resolve, reject) => {
    const session = smpp.connect({ host, port, auto_enquire_link_period: settings.enquireLinkMs ?? 30_000 });
    const timer = setTimeout(() => fail(new SmsError('sms.timeout', `No bind response from the SMS centre at ${host}:${port}.`)), settings.timeoutMs ?? 10_000);
    let settled = false;
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      session.destroy();
      reject(error);
    };
    session.on('error', (error: Error) => fail(new SmsError('sms.unreachable', `The SMS centre at ${host}:${port} is unreachable: ${error.message}`)));
    session.on('close', () => {
      if (!settled) fail(new SmsError('sms.unreachable', `The SMS centre at ${host}:${port} closed the connection.`));
      hooks.closed(session);
    });
    // The centre may probe the link or end the bind itself; answer both, so it neither drops us nor waits.
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    if (hooks.deliver) session.on('deliver_sm', (pdu: smpp.PDU) => hooks.deliver!(session, pdu));
    session.on('connect', () => {
      const bind = mode === 'transceiver' ? session.bind_transceiver.bind(session) : session.bind_transmitter.bind(session);
      bind({ system_id: systemId, password, interface_version: 0x34 }, (pdu) => {
        clearTimeout(timer);
        if (pdu.command_status !== smpp.ESME_ROK) return fail(new SmsError('sms.bind_refused', `The SMS centre refused the bind (status ${pdu.command_status}).`));
        settled = true;
        resolve(session);
      });
    });
  });
}

/** A polite unbind, but never waiting more than a second on a centre that does not answer it. */
export function unbindSession(session: smpp.Session): Promise<void> {
  return new Promise<void>((resolve) => {
    if (session.socket.destroyed) return resolve();
    const cut = setTimeout(() => session.destroy(), 1_000);
    session.socket.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    if (!session.unbind({}, () => session.close())) session.destroy();
  });
}
