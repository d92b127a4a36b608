/**
 * Networks of cloud, hosting, VPN and relay operators. A human's key used from one of these, or a bot's
 * key used from an operator it never ran on, is worth a look.
 *
 * Source: the curator's knowledge of these operators, each number checked against the AS organisation
 * name in the bundled @ip-location-db/asn data. Deliberately conservative: only ASNs that mostly carry
 * rented servers, VPN exits or relays. CDN edges (Akamai 20940/16625), corporate networks (Microsoft 3598),
 * consumer products (YouTube 36040) and transit carriers are left out, because flagging them would put
 * ordinary traffic under suspicion.
 */
const HOSTING_ASNS: ReadonlySet<number> = new Set([
  // Amazon Web Services
  16509, 14618, 8987, 7224, 38895,
  // Google (Cloud and Google-run egress such as Apps Script / Cloud Functions)
  15169, 396982, 19527, 43515, 139070,
  // Microsoft Azure
  8075, 8068, 8069, 12076,
  // Oracle Cloud, IBM Cloud
  31898, 36351,
  // DigitalOcean
  14061, 393406,
  // Linode (Akamai Connected Cloud)
  63949,
  // OVHcloud
  16276, 35540,
  // Hetzner
  24940, 213230, 212317,
  // Vultr (The Constant Company)
  20473,
  // Cloudflare (Workers, WARP)
  13335, 209242,
  // iCloud Private Relay egress (Akamai-operated)
  36183,
  // Fastly (Compute)
  54113,
  // Alibaba Cloud
  45102, 37963,
  // Tencent Cloud
  132203, 45090,
  // Huawei Cloud
  136907, 55990,
  // Scaleway, Contabo
  12876, 51167, 40021,
  // M247 and Datacamp/CDN77: the exits behind many commercial VPNs
  9009, 60068, 212238,
  // Leaseweb
  60781, 16265, 28753, 30633, 59253,
  // VPN operators: Proton VPN, Mullvad (31173 Services AB)
  62371, 209103, 39351,
  // Rackspace, Equinix Metal (Packet), Fly.io, Latitude.sh
  19994, 27357, 33070, 54825, 40509, 396356,
  // Web/VPS hosters
  47583, 26496, 398101, 8560, 6724, 22612, 46606, 36007, 199524, 62240, 53667, 23470, 3214, 199883, 49981,
  // SAKURA Internet (Japanese cloud and VPS)
  7684, 9371,
  // Server renters often seen behind abuse
  40676, 8100, 21859, 202425,
]);

/** Fallback for operators not in the list: words hosting companies put in their AS names. */
const HOSTING_ORG_WORDS = /\b(hosting|cloud|data ?cent(?:er|re)|vpn|servers?|vps)/i;

/** True when `asn` (or, failing that, its organisation name) belongs to a cloud/hosting/VPN/relay operator. */
export function isHostingAsn(asn: number, org?: string | null): boolean {
  return HOSTING_ASNS.has(asn) || (org != null && HOSTING_ORG_WORDS.test(org));
}
