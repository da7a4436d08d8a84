// Types for the parts of the `smpp` package (0.5.x, plain JavaScript) that GovCloud uses.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export interface PDU {
    command: string;
    command_status: number;
    sequence_number: number;
    system_id?: string;
    password?: string;
    source_addr?: string;
    destination_addr?: string;
    data_coding?: number;
    message_id?: string;
    short_message?: { message: string | Buffer } | Buffer | string;
    message_payload?: { message: string | Buffer } | Buffer | string;
    esm_class?: number;
    registered_delivery?: number;
    receipted_message_id?: string;
    message_state?: number;
    /** GovCloud's idempotency key (a vendor TLV registered in gateway-tlv.ts). */
    govcloud_ref?: string;
    response(options?: Record<string, unknown>): PDU;
    isResponse(): boolean;
  }

  export class Session extends EventEmitter {
    socket: import('node:net').Socket;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void): boolean;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    bind_transmitter(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    unbind(options?: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    enquire_link(options?: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  export function createServer(listener: (session: Session) => void): Server;
  export function connect(options: { host: string; port: number; auto_enquire_link_period?: number }, listener?: () => void): Session;

  export function addTLV(tag: string, options: { id: number; type: unknown }): void;
  export const types: { tlv: { cstring: unknown; int8: unknown; int16: unknown; buffer: unknown } };

  export const ESME_ROK: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RMSGQFUL: number;
  export const ESME_RX_T_APPN: number;
  export const ESME_RSUBMITFAIL: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RINVBNDSTS: number;
  export const ESME_RSYSERR: number;
  export const ESME_RINVDSTADR: number;
  export const ENCODING: { SMSC_DEFAULT: number; ASCII: number; LATIN1: number; UCS2: number };
}
