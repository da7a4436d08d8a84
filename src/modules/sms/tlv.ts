// GovCloud's vendor-specific SMPP parameter (SMPP 3.4 §5.3.2: tags 0x1400–0x3FFF are for vendors; an SMS centre
// that does not know a tag ignores it). It carries each segment's idempotency key, `<message id>:<segment>`, so an
// SMS centre that honours it (our local one) accepts a segment sent twice only once. Registered once per process,
// before any PDU is encoded or decoded.
import smpp from 'smpp';

export const GOVCLOUD_REF_TLV = 0x1401;

let registered = false;
export function registerGovcloudTlv(): void {
  if (registered) return;
  registered = true;
  smpp.addTLV('govcloud_ref', { id: GOVCLOUD_REF_TLV, type: smpp.types.tlv.cstring });
}
registerGovcloudTlv();

/** SMPP 3.4 message_state values used in delivery receipts. */
export const MESSAGE_STATE = { DELIVERED: 2, EXPIRED: 3, UNDELIVERABLE: 5, REJECTED: 8 } as const;
/** esm_class bits. */
export const ESM_UDHI = 0x40;
export const ESM_RECEIPT = 0x04;
